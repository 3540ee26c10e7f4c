using System.Text.RegularExpressions;
using Watchdog.IntegrationTests.Servers;
using Watchdog.Store;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A real daemon flooded with distinct alerts matched to its target, on an intake capped at 2,000 alerts: the store
/// and the in-memory book keep at most the cap, the earliest received go first, an alert still firing for the
/// target survives the flood, and the resident set does not grow with the flood.
/// </summary>
[Trait("Suite", "Faults")]
public sealed partial class AlertFloodTests(ITestOutputHelper output) : IDisposable
{
    private const int Cap = 2000;
    private const int AlertsPerNotification = 100;
    private const int Notifications = 200;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FloodOfDistinctAlerts_IsKeptWithinRetentionAndCap_InTheStoreAndInMemory()
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(signal: "alert:StillFiring"));
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              alertmanager: {retention: 7d, max_alerts: {{{Cap}}}}
            policies: [policy.yaml]
            defaults: {interval: 500ms, dry_run: true}
            targets:
              - {name: web, policy: error-rate, alerts: {match: {burst: flood}}, plans: {rollback: [{action: notify-only}]}}
            """);
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);

        // Sent first, so the oldest of all: it must outlive every cap pass because it is still firing for the target.
        var firing = """
            {"receiver":"watchdog","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"StillFiring","burst":"flood"},"annotations":{},"startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"still-firing"}],"groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}","truncatedAlerts":0}
            """;
        (await api.PostAsync("api/v1/alerts", firing)).Status.ShouldBe(200);

        // Resolved alerts matched to the target: the book holds them too, so a flood of them reaches memory.
        var burst = new AlertBurst("flood", AlertsPerNotification, status: "resolved");
        await burst.SendAsync(api, Notifications / 10, clients: 2, TimeSpan.Zero, CancellationToken.None);
        var warmedUp = daemon.ResidentBytes();
        await burst.SendAsync(api, Notifications, clients: 4, TimeSpan.Zero, CancellationToken.None);
        burst.Delivered.Count.ShouldBe(Notifications, "every notification answered 200");
        var grown = daemon.ResidentBytes() - warmedUp;
        output.WriteLine($"resident set {warmedUp / 1024 / 1024} MiB after {Cap} alerts, +{grown / 1024 / 1024} MiB after {Notifications * AlertsPerNotification}");

        await using (var store = WatchdogStoreFactory.OpenSqlite(Path.Combine(_dir.Path, "watchdog.db")))
        {
            var stored = await store.ListAlertsAsync(100_000, CancellationToken.None);
            output.WriteLine($"{stored.Count} alerts stored of {Notifications * AlertsPerNotification + 1} received");
            stored.Count.ShouldBeLessThanOrEqualTo(Cap, "the store keeps max_alerts at most");
            stored.Count.ShouldBeGreaterThan(Cap / 2, "it trims the oldest, not everything");
            var fingerprints = stored.Select(a => a.Fingerprint).ToHashSet(StringComparer.Ordinal);
            fingerprints.ShouldContain("still-firing", "firing and matched to a target: kept beyond the cap");
            fingerprints.ShouldNotContain(burst.Fingerprints(0).First(), "the earliest received go first");
            fingerprints.ShouldContain(burst.Fingerprints(Notifications - 1).Last(), "the newest stay");
        }

        var held = HeldInMemory().Matches(daemon.Log).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        held.ShouldNotBeEmpty($"the book says what it holds after a pass\n{daemon.Log}");
        held[^1].ShouldBeLessThanOrEqualTo(Cap, "the in-memory book keeps max_alerts at most");
        await api.SignalAsync("web", "alert:StillFiring", s => s.GetProperty("value").ValueKind == System.Text.Json.JsonValueKind.Number && s.GetProperty("value").GetDouble() == 1, "1 (still firing)");
        grown.ShouldBeLessThan(48L * 1024 * 1024, "the flood is bounded in memory");
    }

    [GeneratedRegex(@"(\d+) alerts held in memory")]
    private static partial Regex HeldInMemory();
}
