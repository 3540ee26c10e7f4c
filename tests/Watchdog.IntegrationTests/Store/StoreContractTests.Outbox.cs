using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using static Watchdog.IntegrationTests.Store.StoreSamples;

namespace Watchdog.IntegrationTests.Store;

/// <summary>The notification outbox, received alerts and known-bad revisions.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task TryEnqueueNotification_SameEventKeyOnTheSameChannel_IsQueuedOnce()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));

        await InTransactionAsync(async tx =>
        {
            (await tx.TryEnqueueNotificationAsync(Notification(incident.Id, "incident/1/in-progress", "slack"), Ct)).ShouldBeTrue();
            (await tx.TryEnqueueNotificationAsync(Notification(incident.Id, "incident/1/in-progress", "slack") with { Body = "{}" }, Ct)).ShouldBeFalse();
            (await tx.TryEnqueueNotificationAsync(Notification(incident.Id, "incident/1/in-progress", "webhook"), Ct)).ShouldBeTrue();
        });
        // Also across transactions: a restart must not queue what an earlier run queued.
        (await InTransactionAsync(tx => tx.TryEnqueueNotificationAsync(Notification(incident.Id, "incident/1/in-progress", "webhook"), Ct))).ShouldBeFalse();
        (await InTransactionAsync(tx => tx.TryEnqueueNotificationAsync(Notification(incident.Id, "incident/1/complete", "slack"), Ct))).ShouldBeTrue();

        var queued = await Store.ListNotificationsAsync(null, null, 100, Ct);
        queued.Select(n => (n.Channel, n.EventKey)).ShouldBe([
            ("slack", "incident/1/in-progress"),
            ("webhook", "incident/1/in-progress"),
            ("slack", "incident/1/complete"),
        ]);
        queued[0].Body.ShouldBe(Notification(incident.Id, "k").Body);
    }

    [Fact]
    public async Task Notifications_EveryFieldReadsBack_AndUpdateWritesEveryField()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        var pending = Notification(incident.Id, "incident/1/in-progress");
        var unbound = Notification(null, "approval/7/escalated", "pager", createdAt: 1);
        await InTransactionAsync(async tx =>
        {
            await tx.TryEnqueueNotificationAsync(pending, Ct);
            await tx.TryEnqueueNotificationAsync(unbound, Ct);
        });

        var queued = await Store.ListNotificationsAsync(null, null, 100, Ct);
        queued.Count.ShouldBe(2);
        queued[0].Id.ShouldBeGreaterThan(0);
        queued[0].ShouldBe(pending with { Id = queued[0].Id });
        queued[1].ShouldBe(unbound with { Id = queued[1].Id });

        var failed = queued[1] with
        {
            Kind = "approval-escalated",
            Body = """{"title":"ESCALATION"}""",
            Status = NotificationStatus.Failed,
            Attempts = 5,
            SentAt = At(30),
            LastError = "503 Service Unavailable",
        };
        await InTransactionAsync(tx => tx.UpdateNotificationAsync(failed, Ct));

        (await Store.ListNotificationsAsync(NotificationStatus.Failed, null, 100, Ct)).ShouldBe([failed]);
    }

    [Fact]
    public async Task ListNotifications_FiltersByStatusAndIncident_OldestFirst_UpToTheLimit()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        await InTransactionAsync(async tx =>
        {
            await tx.TryEnqueueNotificationAsync(Notification(incident.Id, "c", createdAt: 30), Ct);
            await tx.TryEnqueueNotificationAsync(Notification(null, "a", createdAt: 10), Ct);
            await tx.TryEnqueueNotificationAsync(Notification(incident.Id, "b", createdAt: 20), Ct);
            await tx.TryEnqueueNotificationAsync(Notification(incident.Id, "d", createdAt: 40), Ct);
        });
        var all = await Store.ListNotificationsAsync(null, null, 100, Ct);
        var sent = all.Single(n => n.EventKey == "b") with { Status = NotificationStatus.Sent, Attempts = 1, SentAt = At(21) };
        await InTransactionAsync(tx => tx.UpdateNotificationAsync(sent, Ct));

        all.Select(n => n.EventKey).ShouldBe(["a", "b", "c", "d"]);
        (await Store.ListNotificationsAsync(null, null, 2, Ct)).Select(n => n.EventKey).ShouldBe(["a", "b"]);
        (await Store.ListNotificationsAsync(NotificationStatus.Pending, null, 100, Ct)).Select(n => n.EventKey).ShouldBe(["a", "c", "d"]);
        (await Store.ListNotificationsAsync(NotificationStatus.Sent, null, 100, Ct)).ShouldBe([sent]);
        (await Store.ListNotificationsAsync(null, incident.Id, 100, Ct)).Select(n => n.EventKey).ShouldBe(["b", "c", "d"]);
        (await Store.ListNotificationsAsync(NotificationStatus.Pending, incident.Id, 1, Ct)).Select(n => n.EventKey).ShouldBe(["c"]);
    }

    [Fact]
    public async Task TryInsertAlert_SameFingerprintStatusAndStart_IsStoredOnce()
    {
        var firing = Alert("fp1", "firing", startsAt: 0, receivedAt: 1);

        (await InTransactionAsync(tx => tx.TryInsertAlertAsync(firing, Ct))).ShouldBeTrue();
        (await InTransactionAsync(tx => tx.TryInsertAlertAsync(firing with { ReceivedAt = At(31), Payload = "{}" }, Ct))).ShouldBeFalse();
        (await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("fp1", "resolved", startsAt: 0, receivedAt: 60), Ct))).ShouldBeTrue();
        (await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("fp1", "firing", startsAt: 600, receivedAt: 601), Ct))).ShouldBeTrue();
        (await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("fp2", "firing", startsAt: 0, receivedAt: 2), Ct))).ShouldBeTrue();

        (await Store.ListAlertsAsync(100, Ct)).Select(a => (a.Fingerprint, a.Status, a.ReceivedAt)).ShouldBe([
            ("fp1", "firing", At(601)),
            ("fp1", "resolved", At(60)),
            ("fp2", "firing", At(2)),
            ("fp1", "firing", At(1)),
        ]);
    }

    [Fact]
    public async Task Alerts_EveryFieldReadsBack_NewestFirst_UpToTheLimit()
    {
        var full = Alert("fp1", receivedAt: 5) with { EndsAt = At(300) };
        var bare = Alert("fp2", receivedAt: 9) with { Target = null };
        await InTransactionAsync(async tx =>
        {
            await tx.TryInsertAlertAsync(full, Ct);
            await tx.TryInsertAlertAsync(bare, Ct);
        });

        var alerts = await Store.ListAlertsAsync(100, Ct);
        alerts.Count.ShouldBe(2);
        alerts[0].Id.ShouldBeGreaterThan(0);
        alerts[0].ShouldBe(bare with { Id = alerts[0].Id });
        alerts[1].ShouldBe(full with { Id = alerts[1].Id });
        (await Store.ListAlertsAsync(1, Ct)).ShouldBe([alerts[0]]);
    }

    [Fact]
    public async Task MarkBadRevision_IsIdempotent_AndOnlyThatRevisionIsBad()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));

        (await Store.IsBadRevisionAsync("checkout", "deployment/checkout", "5", Ct)).ShouldBeFalse();
        await InTransactionAsync(tx => tx.MarkBadRevisionAsync("checkout", "deployment/checkout", "5", incident.Id, At(60), Ct));
        await InTransactionAsync(async tx =>
        {
            await tx.MarkBadRevisionAsync("checkout", "deployment/checkout", "5", incident.Id, At(120), Ct);
            await tx.MarkBadRevisionAsync("checkout", "deployment/checkout", "5", null, At(180), Ct);
        });

        (await Store.IsBadRevisionAsync("checkout", "deployment/checkout", "5", Ct)).ShouldBeTrue();
        (await Store.IsBadRevisionAsync("checkout", "deployment/checkout", "4", Ct)).ShouldBeFalse();
        (await Store.IsBadRevisionAsync("checkout", "deployment/checkout-worker", "5", Ct)).ShouldBeFalse();
        (await Store.IsBadRevisionAsync("search", "deployment/checkout", "5", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task RecordKnownGood_KeepsOneRowPerTemplate_MostRecentlyConfirmedFirst()
    {
        (await Store.ListKnownGoodAsync("checkout", "deployment/default/checkout", Ct)).ShouldBeEmpty();
        var first = new KnownGoodRevision("checkout", "deployment/default/checkout", "1", "aaa", At(0), At(600));
        var second = new KnownGoodRevision("checkout", "deployment/default/checkout", "2", "bbb", At(700), At(1300));
        await InTransactionAsync(tx => tx.RecordKnownGoodAsync(first, Ct));
        await InTransactionAsync(tx => tx.RecordKnownGoodAsync(second, Ct));
        await InTransactionAsync(tx => tx.RecordKnownGoodAsync(new KnownGoodRevision("search", "deployment/default/checkout", "9", "zzz", At(0), At(5000)), Ct));
        await InTransactionAsync(tx => tx.RecordKnownGoodAsync(new KnownGoodRevision("checkout", "deployment/default/other", "9", "yyy", At(0), At(5000)), Ct));

        (await Store.ListKnownGoodAsync("checkout", "deployment/default/checkout", Ct)).ShouldBe([second, first]);

        // Rolled back to the first template: the re-used ReplicaSet has revision 3 now, and it is the most recent again.
        var again = first with { Revision = "3", HealthySince = At(2000), RecordedAt = At(2600) };
        await InTransactionAsync(tx => tx.RecordKnownGoodAsync(again, Ct));

        (await Store.ListKnownGoodAsync("checkout", "deployment/default/checkout", Ct)).ShouldBe([again, second]);
    }
}
