using System.Text.Json;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A real daemon whose Prometheus fails as a whole: down, too slow, behind a proxy's error page, or answering 503.
/// Each of these is an outage of Watchdog's own eyes, retried and then cut short by the circuit breaker: the signal
/// is an error naming the cause, the decision inconclusive, and nothing is opened or run. The policy decides on any
/// number (above 0.10 rolls back, at or below is fine), and the slow answer carries a value that would roll back.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class PrometheusOutageTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private RecordingReceiver _receiver = null!;
    private FakePrometheus _prometheus = null!;

    public async Task InitializeAsync()
    {
        _receiver = await RecordingReceiver.StartAsync();
        _prometheus = await FakePrometheus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _prometheus.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PrometheusDown_SignalsAreErrors_NoActionIsTaken()
    {
        _prometheus.Default = PrometheusAnswer.Vector(0.01);
        await using var daemon = await StartDaemonAsync();
        using var api = new DaemonApi(daemon);
        var before = await api.UntilAsync(async () => await api.TargetAsync("web") is var t && DaemonApi.Signal(t, "error_rate").GetProperty("state").GetString() == "value" ? t : (JsonElement?)null, "web read 0.01");
        before.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeFalse("a number decides");

        await _prometheus.StopAsync();

        await AssertOutageAsync(api, "Connection refused");
    }

    [Fact]
    public async Task PrometheusSlowerThanItsTimeout_SignalsAreErrors_NoActionIsTaken()
    {
        // 0.5 would roll back at once, if it were ever read.
        _prometheus.Default = PrometheusAnswer.Slow(PrometheusAnswer.Vector(0.5), TimeSpan.FromSeconds(10));
        await using var daemon = await StartDaemonAsync();
        using var api = new DaemonApi(daemon);

        // Three tries of 300 ms with their backoff outlast the 1 s cycle: the cycle's deadline usually ends them first.
        await AssertOutageAsync(api, "no answer from Prometheus");
    }

    [Fact]
    public async Task PrometheusBehindAProxyAnsweringAnHtmlErrorPage_SignalsAreErrors_NoActionIsTaken()
    {
        _prometheus.Default = PrometheusAnswer.Html(502);
        await using var daemon = await StartDaemonAsync();
        using var api = new DaemonApi(daemon);

        await AssertOutageAsync(api, "Prometheus answered HTTP 502 (text/html), not JSON: <html> <head><title>502 Bad Gateway</title>");
    }

    [Fact]
    public async Task PrometheusAnswering503WithItsErrorJson_SignalsAreErrorsWithItsMessage_NoActionIsTaken()
    {
        _prometheus.Default = PrometheusAnswer.Error(503, "unavailable", "TSDB is still replaying its write-ahead log");
        await using var daemon = await StartDaemonAsync();
        using var api = new DaemonApi(daemon);

        await AssertOutageAsync(api, "unavailable: TSDB is still replaying its write-ahead log");
    }

    [Fact]
    public async Task TargetsExplanation_FollowsTheCurrentCause_NotTheLastDecisionChange()
    {
        // Two causes in a row that leave the decision as it was (inconclusive, no action): the explanation shown must
        // be the current one, not the one computed when the decision last changed.
        _prometheus.Default = PrometheusAnswer.Error(422, "execution", "first cause: query timed out in expression evaluation");
        await using var daemon = await StartDaemonAsync();
        using var api = new DaemonApi(daemon);
        await api.UntilAsync(async () => Explanation(await api.TargetAsync("web")).Contains("first cause", StringComparison.Ordinal), "the explanation names the first cause");

        _prometheus.Default = PrometheusAnswer.Error(422, "execution", "second cause: many-to-many matching not allowed");

        var target = await api.SignalAsync("web", "error_rate", s => s.GetProperty("error").GetString()?.Contains("second cause", StringComparison.Ordinal) == true, "the second cause");
        output.WriteLine(target.ToString());
        target.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeTrue("the decision did not change");
        Explanation(target).ShouldContain("second cause");
        Explanation(target).ShouldNotContain("first cause");
    }

    private static string Explanation(JsonElement target) =>
        target.GetProperty("decision") is { ValueKind: JsonValueKind.Object } decision ? decision.GetProperty("explanation").GetString() ?? "" : "";

    /// <summary>The signal becomes an error naming the cause (also once the circuit is open: it quotes the last error); then, several evaluations on, still nothing was done.</summary>
    private async Task AssertOutageAsync(DaemonApi api, string cause)
    {
        var failing = await api.UntilAsync(
            async () => await api.TargetAsync("web") is var t && DaemonApi.Signal(t, "error_rate").GetProperty("error").GetString() is { } error && error.Contains(cause, StringComparison.Ordinal) ? t : (JsonElement?)null,
            $"web's error_rate is an error naming '{cause}'");
        var target = await api.EvaluatedAsync("web", (int)failing.GetProperty("evaluations").GetInt64() + 4);

        var signal = DaemonApi.Signal(target, "error_rate");
        signal.GetProperty("state").GetString().ShouldBe("error", target.ToString());
        signal.GetProperty("value").ValueKind.ShouldBe(JsonValueKind.Null);
        var decision = target.GetProperty("decision");
        decision.GetProperty("inconclusive").GetBoolean().ShouldBeTrue(target.ToString());
        decision.GetProperty("action").GetString().ShouldBe("none");
        target.GetProperty("openIncident").ValueKind.ShouldBe(JsonValueKind.Null);
        (await api.IncidentsOfAsync("web")).ShouldBeEmpty();
        _receiver.RequestsTo("rollback-step").ShouldBeEmpty("no step ran");
        _prometheus.Queries.ShouldNotBeEmpty();
    }

    private Task<DaemonProcess> StartDaemonAsync()
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{_prometheus.Url}}}", timeout: 300ms}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            defaults: {interval: 1s, dry_run: false}
            targets:
              - name: web
                policy: error-rate
                plans:
                  rollback: [{action: webhook, url: "{{{_receiver.Endpoint("rollback-step")}}}"}]
            """);
        return DaemonProcess.StartAsync(config, output);
    }
}
