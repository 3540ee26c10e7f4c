using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Telemetry;

/// <summary>
/// One daemon that has done everything its metrics count, scraped by a real Prometheus: <c>auto</c> rolled back by
/// itself (a webhook step), <c>held</c> waits for a team lead's approval, <c>broken</c>'s query is refused by the
/// source (a signal error), an alert came in, and the notifications went out through a webhook channel.
/// </summary>
public sealed class MetricsDaemon : IAsyncLifetime, IDisposable
{
    /// <summary>The families a daemon that has acted exports, each as a sample name its /metrics must hold.</summary>
    public static readonly string[] Families =
    [
        "watchdog_evaluations_total", "watchdog_signal_value", "watchdog_signal_threshold", "watchdog_signal_errors_total", "watchdog_decisions_total",
        "watchdog_actions_total", "watchdog_action_duration_seconds_bucket", "watchdog_time_to_rollback_seconds_bucket",
        "watchdog_detection_to_action_seconds_bucket", "watchdog_pending_approvals", "watchdog_oldest_pending_approval_age_seconds",
        "watchdog_open_incidents", "watchdog_oldest_open_incident_age_seconds", "watchdog_alerts_received_total",
        "watchdog_notifications_total", "watchdog_source_up", "watchdog_build_info",
        "dotnet_process_cpu_time_seconds_total", "dotnet_process_memory_working_set_bytes", "dotnet_gc_collections_total",
        "dotnet_thread_pool_threads", "http_server_request_duration_seconds_bucket", "http_client_request_duration_seconds_bucket",
    ];

    private const string TeamLeadToken = "lena-team-lead-5e1a7c3d9b";
    private readonly TempDirectory _dir = new();

    public FakePrometheus Source { get; private set; } = null!;

    public RecordingReceiver Receiver { get; private set; } = null!;

    public DaemonProcess Daemon { get; private set; } = null!;

    public DaemonApi Api { get; private set; } = null!;

    public DaemonScraper Prometheus { get; private set; } = null!;

    /// <summary>The daemon's /metrics once every family of <see cref="Families"/> is in it, with an approval pending.</summary>
    public string Metrics { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Source = await FakePrometheus.StartAsync();
        Source.Default = PrometheusAnswer.Vector(0.5);
        Source.Answer("broken", PrometheusAnswer.Error(400, "bad_data", "parse error at char 3"));
        Receiver = await RecordingReceiver.StartAsync();
        _dir.Write("auto.yaml", FaultFiles.ThresholdPolicy());
        _dir.Write("held.yaml", FaultFiles.ThresholdPolicy(name: "held", authority: "team-lead"));
        var config = _dir.Write("watchdog.yaml", $$$"""
            http:
              tokens:
                - {name: lena, role: team-lead, token: "{{{TeamLeadToken}}}"}
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{Source.Url}}}", timeout: 2s}
              alertmanager: {}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            notifications:
              - {name: on-call, kind: webhook, url: "{{{Receiver.Endpoint("notify")}}}"}
            policies: [auto.yaml, held.yaml]
            defaults: {interval: 500ms, dry_run: false}
            targets:
              - {name: auto, policy: error-rate, plans: {rollback: [{action: webhook, url: "{{{Receiver.Endpoint("step-auto")}}}"}]}}
              - {name: held, policy: held, plans: {rollback: [{action: webhook, url: "{{{Receiver.Endpoint("step-held")}}}"}]}}
              - {name: broken, policy: error-rate, plans: {rollback: [{action: notify-only}]}}
            """);
        Daemon = await DaemonProcess.StartAsync(config);
        Api = new DaemonApi(Daemon);
        (await Api.PostAsync("api/v1/alerts", Alert)).Status.ShouldBe(200);
        await Api.UntilAsync(
            async () =>
            {
                Metrics = (await Api.GetAsync("metrics")).Body;
                return Families.All(f => MetricsText.HasSample(Metrics, f)) && MetricsText.Value(Metrics, "watchdog_pending_approvals") > 0;
            },
            "every family in /metrics, and the held approval counted");
        Prometheus = await DaemonScraper.StartAsync(Daemon);
    }

    public async Task DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        Api?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        await Receiver.DisposeAsync();
        await Source.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    private const string Alert = """
        {"receiver":"watchdog","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Boom","app":"nobody"},"annotations":{},"startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"boom-1"}],"groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}","truncatedAlerts":0}
        """;
}
