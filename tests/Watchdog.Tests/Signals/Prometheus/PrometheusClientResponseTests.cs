using Watchdog.Rules;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>Every answer shape of <c>/api/v1/query</c> in the spec, served by a real loopback server, read as a value.</summary>
public sealed class PrometheusClientResponseTests
{
    // Generous: a stuck query fails the test instead of hanging the run.
    private static CancellationToken Ct => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Query_VectorOfOneSeries_IsItsValue()
    {
        var value = await ReadAsync(StubAnswer.OneSeries("""{"__name__":"up","job":"app"}""", "0.05"));

        value.ShouldBe(SignalValue.Of(0.05));
    }

    [Fact]
    public async Task Query_RatioWithEmptyLabels_IsItsValue()
    {
        var value = await ReadAsync(new StubAnswer(200, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795324342.458,"0.05"]}]}}"""));

        value.ShouldBe(SignalValue.Of(0.05));
    }

    [Fact]
    public async Task Query_EmptyVector_IsNoData()
    {
        var value = await ReadAsync(new StubAnswer(200, """{"status":"success","data":{"resultType":"vector","result":[]}}"""));

        value.State.ShouldBe(SignalState.NoData);
    }

    [Fact]
    public async Task Query_NaN_IsNoData()
    {
        var value = await ReadAsync(StubAnswer.OneSeries("{}", "NaN"));

        value.State.ShouldBe(SignalState.NoData);
    }

    [Fact]
    public async Task Query_PlusInf_IsPositiveInfinity()
    {
        var value = await ReadAsync(StubAnswer.OneSeries("{}", "+Inf"));

        value.ShouldBe(SignalValue.Of(double.PositiveInfinity));
    }

    [Fact]
    public async Task Query_MinusInf_IsNegativeInfinity()
    {
        var value = await ReadAsync(StubAnswer.OneSeries("{}", "-Inf"));

        value.ShouldBe(SignalValue.Of(double.NegativeInfinity));
    }

    [Fact]
    public async Task Query_Scalar_IsItsValue()
    {
        var value = await ReadAsync(new StubAnswer(200, """{"status":"success","data":{"resultType":"scalar","result":[1795324342.48,"2"]}}"""));

        value.ShouldBe(SignalValue.Of(2));
    }

    [Fact]
    public async Task Query_SuccessWithWarnings_IsItsValue()
    {
        var value = await ReadAsync(new StubAnswer(
            200, """{"status":"success","warnings":["some warning"],"data":{"resultType":"vector","result":[{"metric":{},"value":[1795324342,"7"]}]}}"""));

        value.ShouldBe(SignalValue.Of(7));
    }

    [Fact]
    public async Task Query_SeveralSeries_IsAnErrorNamingTheirLabels()
    {
        var value = await ReadAsync(StubAnswer.Vector(
            """{"metric":{"__name__":"http_requests_total","job":"app","status":"200"},"value":[1795324342.446,"1493"]},""" +
            """{"metric":{"__name__":"http_requests_total","job":"app","status":"500"},"value":[1795324342.446,"78"]}"""));

        value.State.ShouldBe(SignalState.Error);
        value.ErrorMessage.ShouldBe(
            """expected one series, got 2: {__name__="http_requests_total", job="app", status="200"}, {__name__="http_requests_total", job="app", status="500"}""");
    }

    [Fact]
    public async Task Query_Matrix_IsAnErrorAskingForAnInstantVector()
    {
        var value = await ReadAsync(new StubAnswer(
            200, """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1795324338,"5"],[1795324340,"5"]]}]}}"""));

        value.ErrorMessage.ShouldBe("the query returned a matrix; a signal query must return an instant vector or a scalar");
    }

    [Fact]
    public async Task Query_String_IsAnErrorAskingForAnInstantVector()
    {
        var value = await ReadAsync(new StubAnswer(200, """{"status":"success","data":{"resultType":"string","result":[1795324342.491,"hello"]}}"""));

        value.ErrorMessage.ShouldBe("the query returned a string; a signal query must return an instant vector or a scalar");
    }

    [Fact]
    public async Task Query_BadData400_IsAnErrorWithPrometheusMessage()
    {
        var value = await ReadAsync(StubAnswer.Error(400, "bad_data", """invalid parameter \"query\": 1:33: parse error: unclosed left parenthesis"""));

        value.ErrorMessage.ShouldBe("""bad_data: invalid parameter "query": 1:33: parse error: unclosed left parenthesis""");
    }

    [Fact]
    public async Task Query_Execution422_IsAnErrorWithPrometheusMessage()
    {
        var value = await ReadAsync(StubAnswer.Error(422, "execution", "found duplicate series for the match group"));

        value.ErrorMessage.ShouldBe("execution: found duplicate series for the match group");
    }

    [Fact]
    public async Task Query_Unavailable503_IsAnErrorWithPrometheusMessage()
    {
        var value = await ReadAsync(StubAnswer.Error(503, "unavailable", "TSDB not ready"));

        value.ErrorMessage.ShouldBe("unavailable: TSDB not ready");
    }

    [Fact]
    public async Task Query_HtmlBadGatewayFromAProxy_IsAnErrorSayingItWasNotJson()
    {
        var value = await ReadAsync(new StubAnswer(
            502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body></html>", "text/html"));

        value.ErrorMessage.ShouldBe(
            "Prometheus answered HTTP 502 (text/html), not JSON: <html> <head><title>502 Bad Gateway</title></head> <body><center><h1>502 Bad Gateway</h1></center></body></html>");
    }

    [Fact]
    public async Task Query_UnknownPathPlainText404_IsAnErrorSayingItWasNotJson()
    {
        var value = await ReadAsync(new StubAnswer(404, "404 page not found", "text/plain"));

        value.ErrorMessage.ShouldBe("Prometheus answered HTTP 404 (text/plain), not JSON: 404 page not found");
    }

    [Theory]
    [InlineData("""{"data":{}}""", "unexpected answer from Prometheus: HTTP 200 with JSON but no \"status\"")]
    [InlineData("""[1,2]""", "unexpected answer from Prometheus: HTTP 200 with JSON but no \"status\"")]
    [InlineData("""{"status":"success"}""", "unexpected answer from Prometheus: a success without data.resultType and data.result")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":{}}}""", "unexpected answer from Prometheus: a vector whose result is not an array")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}""",
        "unexpected answer from Prometheus: a vector item without metric and value [time, \"value\"]")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"many"]}]}}""",
        "unexpected answer from Prometheus: a vector item without metric and value [time, \"value\"]")]
    [InlineData("""{"status":"success","data":{"resultType":"scalar","result":"2"}}""", "unexpected answer from Prometheus: a scalar that is not [time, \"value\"]")]
    [InlineData("""{"status":"maybe"}""", "unexpected answer from Prometheus: HTTP 200 with status \"maybe\"")]
    public async Task Query_UnexpectedJson_IsAnErrorSayingWhatArrived(string body, string error)
    {
        var value = await ReadAsync(new StubAnswer(200, body));

        value.ErrorMessage.ShouldBe(error);
    }

    [Fact]
    public async Task Query_EmptyBody_IsAnErrorSayingItWasNotJson()
    {
        var value = await ReadAsync(new StubAnswer(200, "", "application/json"));

        value.ErrorMessage.ShouldBe("Prometheus answered HTTP 200 (application/json), not JSON: (empty body)");
    }

    [Fact]
    public async Task Query_ConnectionRefused_IsAnErrorSayingPrometheusCannotBeReached()
    {
        var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/");
        var client = PrometheusTestClients.Create(url, PrometheusTestClients.Quick with { MaxRetries = 0 });

        var value = (await client.QueryAsync("up", Ct)).SingleValue();

        value.State.ShouldBe(SignalState.Error);
        value.ErrorMessage.ShouldStartWith($"cannot reach Prometheus at {url}: ");
        value.ErrorMessage.ShouldContain("refused", Case.Insensitive);
    }

    [Fact]
    public async Task Query_NoAnswerWithinTimeout_IsATimeoutError()
    {
        await using var silent = await LoopbackReceiver.StartSilentAsync();
        var client = PrometheusTestClients.Create(
            silent.BaseUrl, PrometheusTestClients.Quick with { MaxRetries = 0 }, configure: o => o with { Timeout = TimeSpan.FromMilliseconds(200) });
        var started = System.Diagnostics.Stopwatch.StartNew();

        var value = (await client.QueryAsync("up", Ct)).SingleValue();

        value.ErrorMessage.ShouldBe("no answer from Prometheus within 200ms");
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
    }

    private static async Task<SignalValue> ReadAsync(StubAnswer answer)
    {
        await using var stub = await PrometheusStub.StartAsync(answer);
        var client = PrometheusTestClients.Create(stub.BaseUrl);
        return (await client.QueryAsync("some_query", Ct)).SingleValue();
    }
}
