using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Hosting;

/// <summary>
/// Issue 11's first "done when": the real daemon with the shipped <c>runbook-matrix</c> and only <c>error_rate</c>
/// defined. The five rows over signals the target does not watch are not applicable, so once the undo brings the
/// error rate down the decision is a conclusive none, the incident closes as recovered and ROLLBACK COMPLETE is sent.
/// The error rate follows the release as a rate over a window does: a Prometheus on loopback answers 20 % while the
/// bad image runs and for <see cref="Lag"/> after the undo, 0 after that. While it lags the target settles (item 4):
/// the rule still holds, but nothing is proposed and nothing paged.
/// </summary>
public sealed class DaemonClosesWhatOpenedItTests : IAsyncLifetime, IDisposable
{
    private const string BadImage = "payments:1.5";
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(6);
    private readonly System.Diagnostics.Stopwatch _sinceUndo = new();
    private readonly TempDirectory _dir = new();
    private KubernetesSimulator _cluster = null!;
    private LoopbackServer _prometheus = null!;
    private RecordingReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _cluster.Create("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"payments","namespace":"production","labels":{"app":"payments"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"payments"}},
              "template":{"metadata":{"labels":{"app":"payments"}},"spec":{"containers":[{"name":"payments","image":"payments:1.4"}]}}}}
            """);
        await _cluster.SettleAsync(CancellationToken.None);
        await _cluster.SetImageAsync("production", "payments", "payments", BadImage);
        _prometheus = await LoopbackServer.StartAsync(AnswerErrorRateAsync);
        _receiver = await RecordingReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _prometheus.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    private Task AnswerErrorRateAsync(HttpContext http)
    {
        if (_cluster.ImageOf("production", "payments") != BadImage && !_sinceUndo.IsRunning)
        {
            _sinceUndo.Start();
        }

        var rate = !_sinceUndo.IsRunning || _sinceUndo.Elapsed < Lag ? 0.2 : 0.0;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(PrometheusAnswer.Vector(rate).Body, http.RequestAborted);
    }

    [Fact]
    public async Task ShippedRunbookMatrix_WithOnlyErrorRate_RollsBack_SendsComplete_AndClosesAsRecovered()
    {
        _dir.Write("kubeconfig.yaml", FaultFiles.Kubeconfig(_cluster.Url));
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            kubernetes: {kubeconfig: kubeconfig.yaml}
            sources:
              prometheus: {url: "{{{_prometheus.Url}}}", timeout: 1500ms}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{deployment="{{deployment}}"}'}
            policies: ["{{{RepositoryPaths.Of("config", "policies", "runbook-matrix.yaml")}}}"]
            notifications:
              - {name: on-call, kind: webhook, url: "{{{_receiver.Endpoint("notify")}}}"}
            defaults: {interval: 2s, dry_run: false, recovery_window: 4s}
            targets:
              - name: payments
                policy: runbook-matrix
                variables: {deployment: payments}
                plans:
                  rollback:
                    - {action: deployment-undo, deployment: payments, namespace: production}
                    - {action: rollout-wait, deployment: payments, namespace: production, timeout: 30s, poll: 100ms}
            """);
        await using var daemon = await DaemonProcess.StartAsync(config);
        using var api = new DaemonApi(daemon);

        // The rows hold for 30 s before they count (the shipped policy's `for`), then the undo and the recovery window.
        // A 2 s interval (the cycle's deadline): on a loaded machine a late answer is an error, which restarts `for`.
        var settling = await api.UntilAsync(
            async () => (await api.TargetAsync("payments")).GetProperty("settling") is { ValueKind: JsonValueKind.Object } value ? value : (JsonElement?)null,
            "the target settling after the undo",
            TimeSpan.FromSeconds(120));
        settling.GetProperty("left").GetString().ShouldNotBeNullOrEmpty();
        var incident = await api.UntilAsync(
            async () => await api.GetJsonAsync("api/v1/incidents?target=payments&status=closed") is { ValueKind: JsonValueKind.Array } closed && closed.GetArrayLength() > 0 ? closed[0] : (JsonElement?)null,
            "the incident closed",
            TimeSpan.FromSeconds(120));

        _cluster.ImageOf("production", "payments").ShouldBe("payments:1.4");
        incident.GetProperty("triggerRule").GetString().ShouldBe("error-rate-critical");
        incident.GetProperty("closeReason").GetString().ShouldBe("recovered");
        await api.UntilAsync(() => Task.FromResult(Pages("ROLLBACK COMPLETE") == 1), "ROLLBACK COMPLETE was delivered");
        Pages("ROLLBACK IN PROGRESS").ShouldBe(1);
        var inProgress = _receiver.RequestsTo("notify").Single(r => r.Body.Contains("ROLLBACK IN PROGRESS", StringComparison.Ordinal)).Body;
        inProgress.ShouldContain("payments:1.5 (revision 2)", customMessage: "Previous Version, as the undo's preview read it");
        inProgress.ShouldContain("Rolling Back To", customMessage: inProgress);
        inProgress.ShouldContain("payments:1.4 (revision 1)", customMessage: inProgress);
        var titles = string.Join(" | ", _receiver.RequestsTo("notify").Select(r => r.Body[..Math.Min(80, r.Body.Length)]));
        Pages("SKIPPED").ShouldBe(0, titles);
        Pages("ISSUES DETECTED").ShouldBe(0, titles);
        var timeline = await api.GetJsonAsync($"api/v1/incidents/{incident.GetProperty("id").GetInt64()}");
        timeline.ToString().ShouldContain("settling until", customMessage: "the rule held while the metric lagged, and the timeline says why nothing was done");
        var target = await api.TargetAsync("payments");
        target.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeFalse(target.ToString());
    }

    private int Pages(string title) => _receiver.RequestsTo("notify").Count(r => r.Body.Contains(title, StringComparison.Ordinal));
}
