using Watchdog.Records;

using static Watchdog.IntegrationTests.Store.StoreSamples;

namespace Watchdog.IntegrationTests.Store;

/// <summary>Received alerts: the last-seen time a copy renews, the retention pass, and paging.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task TryInsertAlert_ACopyStoredBefore_RenewsOnlyItsLastSeenTime_NeverBack()
    {
        await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("fp1", receivedAt: 10), Ct));

        (await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("fp1", receivedAt: 50) with { Payload = "{}" }, Ct))).ShouldBeFalse();
        (await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("fp1", receivedAt: 30), Ct))).ShouldBeFalse();

        var stored = (await Store.ListAlertsAsync(10, Ct)).ShouldHaveSingleItem();
        stored.ReceivedAt.ShouldBe(At(10));
        stored.LastSeenAt.ShouldBe(At(50));
        stored.Payload.ShouldBe(Alert("fp1").Payload);
    }

    [Fact]
    public async Task ListAlertsSeenSince_NewRenewedAndResolvedRowsLeastRecentlySeenFirst_UpToTheLimit()
    {
        await InTransactionAsync(async tx =>
        {
            await tx.TryInsertAlertAsync(Alert("old", receivedAt: 10), Ct);
            await tx.TryInsertAlertAsync(Alert("renewed", receivedAt: 11), Ct);
            await tx.TryInsertAlertAsync(Alert("new", receivedAt: 60), Ct);
        });
        await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("renewed", receivedAt: 70), Ct));
        await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("old", "resolved", receivedAt: 80), Ct));

        var seen = await Store.ListAlertsSeenSinceAsync(At(60), 10, Ct);
        var page = await Store.ListAlertsSeenSinceAsync(At(60), 2, Ct);

        seen.Select(a => $"{a.Fingerprint}:{a.Status}").ShouldBe(["new:firing", "renewed:firing", "old:resolved"]);
        page.Select(a => a.Fingerprint).ShouldBe(["new", "renewed"]);
    }

    [Fact]
    public async Task PruneAlerts_RemovesWhatWasLastSeenBeforeTheRetention_FiringOrNot()
    {
        await InTransactionAsync(async tx =>
        {
            await tx.TryInsertAlertAsync(Alert("old-firing", receivedAt: 10), Ct);
            await tx.TryInsertAlertAsync(Alert("old-resolved", "resolved", receivedAt: 11), Ct);
            await tx.TryInsertAlertAsync(Alert("renewed", receivedAt: 12), Ct);
            await tx.TryInsertAlertAsync(Alert("fresh", "resolved", receivedAt: 100), Ct);
        });
        await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("renewed", receivedAt: 90), Ct));

        var removed = await InTransactionAsync(tx => tx.PruneAlertsAsync(new AlertPrune(At(200), At(50), Keep: 1000), Ct));

        removed.ShouldBe(2);
        (await Store.ListAlertsAsync(10, Ct)).Select(a => a.Fingerprint).ShouldBe(["fresh", "renewed"]);
    }

    [Fact]
    public async Task PruneAlerts_PastTheCap_RemovesTheEarliestReceived_ButNotAlertsStillFiringForATarget()
    {
        await InTransactionAsync(async tx =>
        {
            await tx.TryInsertAlertAsync(Alert("firing-for-checkout", receivedAt: 1), Ct);
            await tx.TryInsertAlertAsync(Alert("firing-for-none", receivedAt: 2) with { Target = null }, Ct);
            await tx.TryInsertAlertAsync(Alert("firing-past-its-end", receivedAt: 3) with { EndsAt = At(50) }, Ct);
            await tx.TryInsertAlertAsync(Alert("firing-then-resolved", receivedAt: 4), Ct);
            await tx.TryInsertAlertAsync(Alert("resolved-1", "resolved", receivedAt: 5), Ct);
            for (var i = 0; i < 3; i++)
            {
                await tx.TryInsertAlertAsync(Alert($"newest-{i}", "resolved", receivedAt: 10 + i), Ct);
            }

            await tx.TryInsertAlertAsync(Alert("firing-then-resolved", "resolved", receivedAt: 20), Ct);
        });

        var removed = await InTransactionAsync(tx => tx.PruneAlertsAsync(new AlertPrune(At(100), At(0), Keep: 4), Ct));

        removed.ShouldBe(4);
        (await Store.ListAlertsAsync(10, Ct)).Select(a => (a.Fingerprint, a.Status)).ShouldBe([
            ("firing-then-resolved", "resolved"),
            ("newest-2", "resolved"),
            ("newest-1", "resolved"),
            ("newest-0", "resolved"),
            ("firing-for-checkout", "firing"),
        ]);
    }

    [Fact]
    public async Task PruneAlerts_UnderTheCap_RemovesNothing()
    {
        await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("fp1", "resolved", receivedAt: 1), Ct));

        (await InTransactionAsync(tx => tx.PruneAlertsAsync(new AlertPrune(At(100), At(0), Keep: 1), Ct))).ShouldBe(0);
        (await InTransactionAsync(tx => tx.PruneAlertsAsync(new AlertPrune(At(100), At(0), Keep: 5), Ct))).ShouldBe(0);
        (await Store.ListAlertsAsync(10, Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task ListAlerts_BeforeACursor_ReadsTheNextPage_NewestFirst_TiesByIdDescending()
    {
        await InTransactionAsync(async tx =>
        {
            foreach (var (fingerprint, receivedAt) in new[] { ("a", 1), ("b", 2), ("c", 2), ("d", 2), ("e", 3) })
            {
                await tx.TryInsertAlertAsync(Alert(fingerprint, receivedAt: receivedAt), Ct);
            }
        });
        var first = await Store.ListAlertsAsync(2, Ct);

        var second = await Store.ListAlertsAsync(2, new AlertCursor(first[^1].ReceivedAt, first[^1].Id), Ct);
        var third = await Store.ListAlertsAsync(2, new AlertCursor(second[^1].ReceivedAt, second[^1].Id), Ct);

        first.Select(a => a.Fingerprint).ShouldBe(["e", "d"]);
        second.Select(a => a.Fingerprint).ShouldBe(["c", "b"]);
        third.Select(a => a.Fingerprint).ShouldBe(["a"]);
    }
}
