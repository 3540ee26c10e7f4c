using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Notifications;

public sealed class NotificationOutboxTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly NotificationMessage Message = RollbackMessages.Complete("Production", "def5678");

    private readonly InMemoryWatchdogStore _store = new();
    private readonly NotificationOutbox _outbox = new(
    [
        new NotificationOptions { Name = "ops-slack", Kind = "slack" },
        new NotificationOptions { Name = "pager", Kind = "webhook" },
    ]);

    [Fact]
    public async Task Enqueue_QueuesOnePendingRowPerChannel_WithTheMessageAsBody()
    {
        var queued = await EnqueueAsync("incident/3/run/7/complete");

        queued.ShouldBe(2);
        var rows = await _store.ListNotificationsAsync(null, null, 10, CancellationToken.None);
        rows.Select(r => r.Channel).ShouldBe(["ops-slack", "pager"], ignoreOrder: true);
        rows.ShouldAllBe(r => r.Status == NotificationStatus.Pending && r.IncidentId == 3 && r.EventKey == "incident/3/run/7/complete"
            && r.Kind == "rollback-complete" && r.CreatedAt == Now && r.Attempts == 0);
        var body = NotificationBody.Deserialize(rows[0].Body);
        body.Title.ShouldBe(Message.Title);
        body.Fields.ShouldBe(Message.Fields);
        body.Text.ShouldBe(Message.Text);
    }

    [Fact]
    public async Task Enqueue_TheSameEventKeyTwice_QueuesNothingTheSecondTime()
    {
        await EnqueueAsync("incident/3/run/7/complete");

        var again = await EnqueueAsync("incident/3/run/7/complete");

        again.ShouldBe(0);
        (await _store.ListNotificationsAsync(null, null, 10, CancellationToken.None)).Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(null, "ops-slack")]
    [InlineData("on-call", "ops-slack")]
    [InlineData("senior-engineer,cto", "ops-slack,cto-pager")]
    public async Task Enqueue_AChannelKeptForSomeNames_GetsOnlyMessagesAddressedToOneOfThem(string? audience, string expected)
    {
        var outbox = new NotificationOutbox(
        [
            new NotificationOptions { Name = "ops-slack", Kind = "slack" },
            new NotificationOptions { Name = "cto-pager", Kind = "webhook", OnlyFor = ["cto"] },
        ]);
        await using var transaction = await _store.BeginAsync(CancellationToken.None);

        await outbox.EnqueueAsync(transaction, 3, "approval/1/level/2", Message, Now, CancellationToken.None, audience?.Split(','));
        await transaction.CommitAsync(CancellationToken.None);

        (await _store.ListNotificationsAsync(null, null, 10, CancellationToken.None)).Select(r => r.Channel).ShouldBe(expected.Split(','), ignoreOrder: true);
    }

    [Fact]
    public async Task Enqueue_WithoutChannels_QueuesNothing()
    {
        var outbox = new NotificationOutbox([]);
        await using var transaction = await _store.BeginAsync(CancellationToken.None);

        var queued = await outbox.EnqueueAsync(transaction, 3, "incident/3/x", Message, Now, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);

        queued.ShouldBe(0);
        (await _store.ListNotificationsAsync(null, null, 10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Enqueue_InATransactionThatRollsBack_LeavesNoNotification()
    {
        await using (var transaction = await _store.BeginAsync(CancellationToken.None))
        {
            await _outbox.EnqueueAsync(transaction, 3, "incident/3/x", Message, Now, CancellationToken.None);
        }

        (await _store.ListNotificationsAsync(null, null, 10, CancellationToken.None)).ShouldBeEmpty();
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private async Task<int> EnqueueAsync(string eventKey)
    {
        await using var transaction = await _store.BeginAsync(CancellationToken.None);
        var queued = await _outbox.EnqueueAsync(transaction, 3, eventKey, Message, Now, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return queued;
    }
}
