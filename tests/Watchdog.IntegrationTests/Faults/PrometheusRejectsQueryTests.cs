using System.Text.Json;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A real Prometheus asked what it cannot answer as one number: a query it cannot parse (400 <c>bad_data</c>) and a
/// range selector (a matrix). The signal is an error in Prometheus's own words, not retried, and nothing is done,
/// while the control target beside them, on a good query of the same Prometheus (payments failing 20 %), acts.
/// </summary>
[Trait("Suite", "Faults")]
[Collection(PrometheusTestGroup.Name)]
public sealed class PrometheusRejectsQueryTests(PrometheusServer prometheus, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RealPrometheusRejectsTheQuery_SignalIsAnErrorInPrometheusWords_NoActionIsTaken()
    {
        await using var daemon = await StartDaemonAsync();
        using var api = new DaemonApi(daemon);

        await AssertNoActionAsync(api, "broken", "broken_rate", "bad_data: invalid parameter \"query\": 1:");
    }

    [Fact]
    public async Task RealPrometheusAnswersARangeVector_SignalIsAnErrorSayingSo_NoActionIsTaken()
    {
        await using var daemon = await StartDaemonAsync();
        using var api = new DaemonApi(daemon);

        await AssertNoActionAsync(api, "ranged", "ranged_rate", "the query returned a matrix");
    }

    private static async Task AssertNoActionAsync(DaemonApi api, string target, string signal, string error)
    {
        await api.UntilAsync(async () => (await api.IncidentsOfAsync("payments")).Count == 1, "the control target, on real metrics, opened an incident");

        var view = await api.SignalAsync(target, signal, s => s.GetProperty("error").GetString()?.Contains(error, StringComparison.Ordinal) == true, $"an error naming '{error}'", evaluations: 4);

        DaemonApi.Signal(view, signal).GetProperty("state").GetString().ShouldBe("error", view.ToString());
        view.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeTrue();
        view.GetProperty("openIncident").ValueKind.ShouldBe(JsonValueKind.Null);
        (await api.IncidentsOfAsync(target)).ShouldBeEmpty();
        api.Daemon.Log.ShouldNotContain("Retrying", Case.Insensitive, "a 400 and a wrong result type are not retried");
    }

    private Task<DaemonProcess> StartDaemonAsync()
    {
        const string Window = PrometheusServer.RateWindow;
        _dir.Write("payments.yaml", FaultFiles.ThresholdPolicy("payments", "error_rate"));
        _dir.Write("broken.yaml", FaultFiles.ThresholdPolicy("broken", "broken_rate"));
        _dir.Write("ranged.yaml", FaultFiles.ThresholdPolicy("ranged", "ranged_rate"));
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{prometheus.Url}}}", timeout: 5s}
            signals:
              error_rate:
                source: prometheus
                query: 'sum(rate(http_requests_total{deployment="payments",code="500"}[{{{Window}}}])) / sum(rate(http_requests_total{deployment="payments"}[{{{Window}}}]))'
              broken_rate:
                source: prometheus
                query: 'sum(rate(http_requests_total{deployment="payments",code="500"}[{{{Window}}}])'
              ranged_rate:
                source: prometheus
                query: 'http_requests_total{deployment="payments",code="500"}[{{{Window}}}]'
            policies: [payments.yaml, broken.yaml, ranged.yaml]
            defaults: {interval: 1s, dry_run: true}
            targets:
              - {name: payments, policy: payments, plans: {rollback: [{action: notify-only}]}}
              - {name: broken, policy: broken, plans: {rollback: [{action: notify-only}]}}
              - {name: ranged, policy: ranged, plans: {rollback: [{action: notify-only}]}}
            """);
        return DaemonProcess.StartAsync(config, output);
    }
}
