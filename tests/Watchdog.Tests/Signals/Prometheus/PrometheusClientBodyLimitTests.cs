using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>A huge, slow or endless Prometheus answer is a source error (unknown), read no further than the limit.</summary>
public sealed class PrometheusClientBodyLimitTests
{
    private const long MiB = 1024 * 1024;

    // Valid JSON however many spaces follow: read whole, a huge answer would be a value like any other.
    private const string Scalar = """{"status":"success","data":{"resultType":"scalar","result":[1700000000,"5"]}}""";

    [Fact]
    public async Task Query_AnswerOverTheDefaultTenMebibytes_IsASourceErrorNotAValue()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(11 * MiB, Prefix: Scalar));
        var client = PrometheusTestClients.Create(server.BaseUrl);

        var result = await client.QueryAsync("up", CancellationToken.None);

        result.Error.ShouldBe("Prometheus answer larger than 10 MiB (sources.prometheus.max_response_bytes)");
        result.SingleValue().State.ShouldBe(Watchdog.Rules.SignalState.Error);
        server.Requests.ShouldBe(1, "an answer too large is not asked again");
    }

    [Fact]
    public async Task Query_DeclaredLengthOverTheConfiguredLimit_IsASourceError()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(2 * MiB, DeclareLength: true, Prefix: Scalar));
        var client = PrometheusTestClients.Create(server.BaseUrl, configure: o => o with { MaxResponseBytes = MiB });

        var result = await client.QueryAsync("up", CancellationToken.None);

        result.Error.ShouldBe("Prometheus answer larger than 1 MiB (sources.prometheus.max_response_bytes)");
    }

    [Fact]
    public async Task Query_AnswerWithinTheLimit_IsRead()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(3 * MiB, Prefix: Scalar));
        var client = PrometheusTestClients.Create(server.BaseUrl);

        var result = await client.QueryAsync("up", CancellationToken.None);

        result.Error.ShouldBeNull();
        result.SingleValue().Number.ShouldBe(5);
    }

    [Fact]
    public async Task Query_EndlessSlowAnswer_EndsAtTheTimeoutAsASourceError()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(null, Prefix: Scalar, Pause: TimeSpan.FromMilliseconds(20), ChunkSize: 256));
        var client = PrometheusTestClients.Create(server.BaseUrl, resilience: PrometheusTestClients.Quick with { MaxRetries = 0 }, configure: o => o with { Timeout = TimeSpan.FromSeconds(1) });

        var result = await client.QueryAsync("up", CancellationToken.None);

        result.Error.ShouldBe("no answer from Prometheus within 1s");
        await Eventually.HoldsAsync(() => server.Finished == 1, "the endless answer was cut off");
    }

    [Fact]
    public async Task Query_EndlessSlowAnswer_IsOneTimedOutAttempt_AndAskedAgain()
    {
        // The body is read inside the resilience handler, so its attempt timeout bounds the body and the retry sees it.
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(null, Prefix: Scalar, Pause: TimeSpan.FromMilliseconds(20), ChunkSize: 256));
        var client = PrometheusTestClients.Create(server.BaseUrl, resilience: PrometheusTestClients.Quick with { MaxRetries = 1 }, configure: o => o with { Timeout = TimeSpan.FromMilliseconds(500) });

        var result = await client.QueryAsync("up", CancellationToken.None);

        result.Error.ShouldBe("no answer from Prometheus within 500ms");
        server.Requests.ShouldBe(2);
    }

    [Collection(MemoryMeasuredTests.Name)]
    public sealed class Memory
    {
        [Fact]
        public async Task Query_TwoHundredMegabyteAnswer_AllocatesLittleMoreThanTheLimit()
        {
            await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(200 * MiB, Prefix: Scalar));
            var client = PrometheusTestClients.Create(server.BaseUrl);
            string? error = null;

            var allocated = await MemoryMeasuredTests.AllocatedDuringAsync(async () => error = (await client.QueryAsync("up", CancellationToken.None)).Error);

            error.ShouldBe("Prometheus answer larger than 10 MiB (sources.prometheus.max_response_bytes)");
            allocated.ShouldBeLessThan(10 * MiB + 8 * MiB, $"allocated {allocated / MiB} MiB for a 200 MiB answer with the default 10 MiB limit");
            await Eventually.HoldsAsync(() => server.Finished == 1, "the server stopped sending");
            server.BytesSent.ShouldBeLessThan(100 * MiB, "the rest of the answer was never taken");
        }
    }
}
