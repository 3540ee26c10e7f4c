using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Signals.Alerts;

/// <summary>
/// An alert acts when it arrives, not at its target's next interval: the daemon's target is evaluated hourly, so only
/// the evaluation the intake asks for can see the alert within the test.
/// </summary>
public sealed class AlertEvaluatesAtOnceTests(ITestOutputHelper output) : IDisposable
{
    private const string Token = "am-at-once-token-5e1a";
    private const string Signal = "alert:CheckoutDown";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AlertPostedToADaemonWithAnHourlyInterval_OpensTheIncidentAtOnce_AndItsResolveIsSeenAtOnce()
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(signal: Signal));
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              alertmanager: {bearer_token: "{{{Token}}}"}
            policies: [policy.yaml]
            defaults: {interval: 1h, dry_run: true}
            targets:
              - {name: checkout, policy: error-rate, alerts: {match: {service: checkout}}, plans: {rollback: [{action: notify-only}]}}
            """);
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);
        var started = await api.EvaluatedAsync("checkout", 1);

        var firing = await api.PostAsync("api/v1/alerts", Webhook("firing", "0001-01-01T00:00:00Z"), Token);
        firing.Status.ShouldBe(200, firing.Body);
        await api.UntilAsync(async () => await api.IncidentsOfAsync("checkout") is { Count: > 0 }, "the alert opened an incident");
        var resolved = await api.PostAsync("api/v1/alerts", Webhook("resolved", "2026-01-01T00:05:00.000Z"), Token);
        resolved.Status.ShouldBe(200, resolved.Body);
        var after = await api.SignalAsync("checkout", Signal, s => s.GetProperty("value").ValueKind == System.Text.Json.JsonValueKind.Number && s.GetProperty("value").GetDouble() == 0, "0 (resolved)");

        DaemonApi.Signal(started, Signal).GetProperty("state").GetString().ShouldBe("no-data", "the first cycle ran before any alert");
        after.GetProperty("decision").GetProperty("action").GetString().ShouldBe("none");
        after.GetProperty("evaluations").GetInt64().ShouldBe(3, "the start, the alert and its resolve; the hourly slot is far off");
    }

    private static string Webhook(string status, string endsAt) => $$"""
        {"receiver":"watchdog","status":"{{status}}","alerts":[{"status":"{{status}}","labels":{"alertname":"CheckoutDown","service":"checkout"},"annotations":{},"startsAt":"2026-01-01T00:00:00.000Z","endsAt":"{{endsAt}}","generatorURL":"http://127.0.0.1/graph","fingerprint":"at-once-checkout"}],"groupLabels":{"alertname":"CheckoutDown"},"commonLabels":{"alertname":"CheckoutDown","service":"checkout"},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}:{alertname=\"CheckoutDown\"}","truncatedAlerts":0}
        """;
}
