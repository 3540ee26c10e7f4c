using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals.Alerts;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>
/// Retention and cap of received alerts, in the store and in the in-memory book, on a manual clock: the periodic
/// pass is called directly (<see cref="AlertIntake.RunRetentionAsync"/>), the pass every max_alerts/20 new alerts
/// comes with the webhook calls.
/// </summary>
public sealed class AlertRetentionTests
{
    private const string Signal = "alert:HighErrorRatio";

    [Fact]
    public async Task Retention_AnAlertNotSeenForLongerThanTheRetention_IsRemovedFromTheStoreAndTheBook_EvenFiring()
    {
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { Retention = TimeSpan.FromDays(7) });
        await server.PostOkAsync(AlertFixtures.Firing);
        (await server.SignalAsync(AlertIntakeServer.Checkout, Signal)).ShouldBe(SignalValue.Of(1));

        server.Time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        await server.Service<AlertIntake>().RunRetentionAsync(CancellationToken.None);
        (await server.Store.ListAlertsAsync(100, CancellationToken.None)).Count.ShouldBe(1, "seen within the retention");

        server.Time.Advance(TimeSpan.FromSeconds(2));
        await server.Service<AlertIntake>().RunRetentionAsync(CancellationToken.None);

        (await server.Store.ListAlertsAsync(100, CancellationToken.None)).ShouldBeEmpty("not seen for longer than the retention");
        server.Service<AlertBook>().Held.ShouldBe(0);
        (await server.SignalAsync(AlertIntakeServer.Checkout, Signal)).ShouldBe(SignalValue.Of(0), "seen once, none firing now: 0, not back to no data");
    }

    [Fact]
    public async Task Retention_AnAlertAlertmanagerKeepsSending_IsRenewedByEachCopy_AndStays()
    {
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { Retention = TimeSpan.FromDays(7) });
        await server.PostOkAsync(AlertFixtures.Firing);
        server.Time.Advance(TimeSpan.FromDays(5));
        var copy = await server.PostOkAsync(AlertFixtures.Firing);
        copy.GetProperty("duplicates").GetInt32().ShouldBe(1);

        server.Time.Advance(TimeSpan.FromDays(5));
        await server.Service<AlertIntake>().RunRetentionAsync(CancellationToken.None);

        var stored = (await server.Store.ListAlertsAsync(100, CancellationToken.None)).ShouldHaveSingleItem("10 days since it first came, 5 since its last copy");
        stored.LastSeenAt.ShouldBe(server.Time.GetUtcNow() - TimeSpan.FromDays(5));
        server.Service<AlertBook>().Held.ShouldBe(2, "a mark for each target it matches, checkout and prod");
        (await server.SignalAsync(AlertIntakeServer.Checkout, Signal)).ShouldBe(SignalValue.Of(1));
    }

    [Fact]
    public async Task Cap_PastMaxAlerts_TheEarliestResolvedGoFirst_AndAnAlertStillFiringForATargetStays()
    {
        const int cap = 100;
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { MaxAlerts = cap });
        await server.PostOkAsync(AlertFixtures.Firing.Replace(AlertFixtures.Fingerprint, "still-firing", StringComparison.Ordinal));
        for (var i = 0; i < 3 * cap; i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await server.PostOkAsync(AlertFixtures.Resolved.Replace(AlertFixtures.Fingerprint, $"resolved-{i:D3}", StringComparison.Ordinal));
        }

        var stored = await server.Store.ListAlertsAsync(1000, CancellationToken.None);
        stored.Count.ShouldBeLessThanOrEqualTo(cap);
        stored.Count.ShouldBeGreaterThanOrEqualTo(cap - (cap / 20), "a pass trims to max_alerts less a twentieth, no further");
        var fingerprints = stored.Select(a => a.Fingerprint).ToList();
        fingerprints.ShouldContain("still-firing", "the oldest of all, but firing for checkout");
        fingerprints.ShouldNotContain("resolved-000");
        fingerprints.ShouldContain($"resolved-{(3 * cap) - 1:D3}");
        server.Service<AlertBook>().Held.ShouldBeLessThanOrEqualTo(cap);
        (await server.SignalAsync(AlertIntakeServer.Checkout, Signal)).ShouldBe(SignalValue.Of(1), "the firing alert is still in the book");
    }

    [Fact]
    public async Task Retention_ThePeriodicPass_RemovesAlertsWithNoneArriving_OnTheInjectedClock()
    {
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { Retention = TimeSpan.FromHours(1) });
        await server.PostOkAsync(AlertFixtures.Resolved);

        server.Time.Advance(AlertRetention.Period * 6);
        server.Time.Advance(AlertRetention.Period);

        await Eventually.HoldsAsync(async () => (await server.Store.ListAlertsAsync(100, CancellationToken.None)).Count == 0, "the periodic pass removed the alert");
        server.Service<AlertBook>().Held.ShouldBe(0);
    }
}
