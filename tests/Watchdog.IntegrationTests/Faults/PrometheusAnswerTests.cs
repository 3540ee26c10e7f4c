using System.Text.Json;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A Prometheus that answers, but not with one number: NaN, an empty vector, a matrix, a string, several series,
/// cut-off JSON, a login page with 200. Each is no data or an error, never a made-up number: the decision stays
/// inconclusive and nothing is opened or run, while the control target beside them, reading 0.5, rolls back.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class PrometheusAnswerTests(PrometheusAnswersDaemon daemon, ITestOutputHelper output) : IClassFixture<PrometheusAnswersDaemon>
{
    private DaemonApi Api => daemon.Api;

    [Fact]
    public Task PrometheusAnswersNaN_SignalIsNoData_NoActionIsTaken() => AssertNoActionAsync("nan", "no-data", null);

    [Fact]
    public Task PrometheusAnswersAnEmptyVector_SignalIsNoData_NoActionIsTaken() => AssertNoActionAsync("empty", "no-data", null);

    [Fact]
    public Task PrometheusAnswersAMatrix_SignalIsAnErrorSayingSo_NoActionIsTaken() =>
        AssertNoActionAsync("matrix", "error", "the query returned a matrix; a signal query must return an instant vector or a scalar");

    [Fact]
    public Task PrometheusAnswersAString_SignalIsAnErrorSayingSo_NoActionIsTaken() =>
        AssertNoActionAsync("string", "error", "the query returned a string");

    [Fact]
    public Task PrometheusAnswersSeveralSeriesForOneSignal_SignalIsAnErrorNamingThem_NoActionIsTaken() =>
        AssertNoActionAsync("several", "error", "expected one series, got 2: {pod=\"app-1\"}");

    [Fact]
    public Task PrometheusAnswersGarbageJson_SignalIsAnError_NoActionIsTaken() =>
        AssertNoActionAsync("garbage", "error", "Prometheus answered HTTP 200 (application/json), not JSON: {\"status\":\"success\"");

    [Fact]
    public Task PrometheusAnswersAnHtmlPageWith200_SignalIsAnError_NoActionIsTaken() =>
        AssertNoActionAsync("html", "error", "Prometheus answered HTTP 200 (text/html), not JSON: <html><body><h1>Log in to continue");

    [Fact]
    public async Task PrometheusAnswersPlusInfinity_ItIsANumberAboveEveryThreshold_RollbackRunsAndInfIsShownAndReported()
    {
        // histogram_quantile answers +Inf when latency is past the top bucket: the worst a release can do.
        await Api.UntilAsync(() => Task.FromResult(daemon.Receiver.RequestsTo("step-plus-inf").Count > 0), "the +Inf target's rollback step ran");

        var view = await Api.EvaluatedAsync("plus-inf", 2);
        output.WriteLine(view.ToString());
        var signal = DaemonApi.Signal(view, "error_rate");
        signal.GetProperty("state").GetString().ShouldBe("value");
        signal.GetProperty("value").GetString().ShouldBe("+Inf");
        signal.GetProperty("text").GetString().ShouldBe("+Inf");
        view.GetProperty("decision").GetProperty("action").GetString().ShouldBe("rollback");
        view.GetProperty("failures").GetInt64().ShouldBe(0, view.ToString());

        var report = (await Api.ReportOfAsync("plus-inf")).ShouldNotBeNull();
        var detected = report.GetProperty("timeline").EnumerateArray().First(e => e.GetProperty("kind").GetString() == "detected");
        detected.GetProperty("detail").GetProperty("signals")[0].GetProperty("Value").GetString().ShouldBe("+Inf", detected.ToString());
        var (status, markdown) = await Api.GetAsync($"api/v1/incidents/{report.GetProperty("incident").GetProperty("id").GetInt64()}?format=md");
        status.ShouldBe(200);
        markdown.ShouldContain("+Inf");
    }

    [Fact]
    public async Task PrometheusAnswersMinusInfinity_ItIsANumberBelowEveryThreshold_DecidedHealthyWithoutFailing()
    {
        var view = await Api.SignalAsync("minus-inf", "error_rate", s => s.GetProperty("state").GetString() == "value", "a value", evaluations: 3);
        output.WriteLine(view.ToString());
        DaemonApi.Signal(view, "error_rate").GetProperty("value").GetString().ShouldBe("-Inf");
        var decision = view.GetProperty("decision");
        decision.GetProperty("inconclusive").GetBoolean().ShouldBeFalse(view.ToString());
        decision.GetProperty("action").GetString().ShouldBe("none");
        view.GetProperty("failures").GetInt64().ShouldBe(0, "recording the decision must not fail on -Inf: " + view);
        (await Api.IncidentsOfAsync("minus-inf")).ShouldBeEmpty();
    }

    private async Task AssertNoActionAsync(string target, string state, string? error)
    {
        // The rules act on a number: the control's 0.5 opened an incident and ran its step.
        await Api.UntilAsync(() => Task.FromResult(daemon.Receiver.RequestsTo("step-control").Count > 0), "the control target's rollback step ran");

        var view = await Api.SignalAsync(
            target,
            "error_rate",
            s => s.GetProperty("state").GetString() == state && (error is null || s.GetProperty("error").GetString()?.Contains(error, StringComparison.Ordinal) == true),
            error ?? state,
            evaluations: 4);
        output.WriteLine(view.ToString());

        DaemonApi.Signal(view, "error_rate").GetProperty("value").ValueKind.ShouldBe(JsonValueKind.Null);
        var decision = view.GetProperty("decision");
        decision.GetProperty("inconclusive").GetBoolean().ShouldBeTrue(view.ToString());
        decision.GetProperty("action").GetString().ShouldBe("none");
        view.GetProperty("failures").GetInt64().ShouldBe(0, "an answer Watchdog cannot use is a value, never a failed evaluation");
        (await Api.IncidentsOfAsync(target)).ShouldBeEmpty();
        daemon.Receiver.RequestsTo($"step-{target}").ShouldBeEmpty();
        daemon.Prometheus.QueriesContaining($"target=\"{target}\"").ShouldBeGreaterThanOrEqualTo(4);
    }
}
