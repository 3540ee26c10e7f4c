using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Notifications;

/// <summary>The dispatcher's timing and bookkeeping, with a scripted channel and a manual clock.</summary>
public sealed class NotificationDispatcherTests : IAsyncDisposable
{
    private static readonly NotificationMessage Message = RollbackMessages.Complete("Production", "def5678");

    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly InMemoryWatchdogStore _store = new();
    private readonly RecordingLogger<NotificationDispatcher> _logger = new();

    [Fact]
    public async Task ATransientFailure_IsDeferred_SentAgainAtTheNextRedelivery_AndSaidOnceOnTheTimeline()
    {
        var channel = new FakeNotificationChannel("slack", _clock, n => n == 1 ? DeliveryResult.Failure("HTTP 503 Service Unavailable", 503, transient: true) : DeliveryResult.Success(200));
        var dispatcher = Dispatcher(new NotificationDispatchOptions { MaxAttempts = 1 }, channel);
        var incident = await OpenIncidentAsync();
        await EnqueueAsync("slack", incident);

        await dispatcher.RunOnceAsync(CancellationToken.None);
        (await SingleAsync()).Status.ShouldBe(NotificationStatus.Deferred);
        _clock.Advance(TimeSpan.FromMinutes(4));
        await dispatcher.RunOnceAsync(CancellationToken.None);
        channel.Attempts.Count.ShouldBe(1); // not before the redelivery interval
        _clock.Advance(TimeSpan.FromMinutes(1));
        var summary = await dispatcher.RunOnceAsync(CancellationToken.None);

        summary.ShouldBe(new NotificationDispatchSummary(1, 0));
        var notification = await SingleAsync();
        notification.Status.ShouldBe(NotificationStatus.Sent);
        notification.Attempts.ShouldBe(2);
        (await _store.GetTimelineAsync(incident, CancellationToken.None)).Select(e => e.Summary).ShouldBe(
        [
            "Notifying slack failed after 1 attempt(s): HTTP 503 Service Unavailable; sending it again every 5m00s",
            "Notified slack: rollback-complete",
        ]);
    }

    [Fact]
    public async Task TransientFailures_AreGivenUpAfterTheLastRound()
    {
        var channel = new FakeNotificationChannel("slack", _clock, _ => DeliveryResult.Failure("connection refused", null, transient: true));
        var dispatcher = Dispatcher(new NotificationDispatchOptions { MaxAttempts = 1, MaxRounds = 3 }, channel);
        await EnqueueAsync("slack");

        for (var round = 0; round < 5; round++)
        {
            await dispatcher.RunOnceAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(5));
        }

        channel.Attempts.Count.ShouldBe(3);
        var notification = await SingleAsync();
        notification.Status.ShouldBe(NotificationStatus.Failed);
        notification.LastError.ShouldBe("connection refused");
    }

    [Fact]
    public async Task APermanentRefusal_IsFailedAtOnce_NeverSentAgain()
    {
        var channel = new FakeNotificationChannel("slack", _clock, _ => DeliveryResult.Failure("HTTP 404 Not Found: no_service", 404, transient: false));
        var dispatcher = Dispatcher(new NotificationDispatchOptions { MaxAttempts = 1 }, channel);
        await EnqueueAsync("slack");

        await dispatcher.RunOnceAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await dispatcher.RunOnceAsync(CancellationToken.None);

        channel.Attempts.Count.ShouldBe(1);
        (await SingleAsync()).Status.ShouldBe(NotificationStatus.Failed);
    }

    [Fact]
    public async Task WhatAPreviousProcessDeferred_IsSentAtTheFirstRunAfterAStart()
    {
        var down = new FakeNotificationChannel("slack", _clock, _ => DeliveryResult.Failure("HTTP 502 Bad Gateway", 502, transient: true));
        await EnqueueAsync("slack");
        await Dispatcher(new NotificationDispatchOptions { MaxAttempts = 1 }, down).RunOnceAsync(CancellationToken.None);
        var up = new FakeNotificationChannel("slack", _clock, _ => DeliveryResult.Success(200));

        await Dispatcher(new NotificationDispatchOptions { MaxAttempts = 1 }, up).RunOnceAsync(CancellationToken.None);

        up.Attempts.Count.ShouldBe(1);
        (await SingleAsync()).Status.ShouldBe(NotificationStatus.Sent);
    }

    [Fact]
    public async Task SentAt_IsTheInjectedClocksTime()
    {
        var channel = new FakeNotificationChannel("pager", _clock, _ => DeliveryResult.Success(200));
        await EnqueueAsync("pager");
        _clock.Advance(TimeSpan.FromSeconds(42));

        await Dispatcher(new NotificationDispatchOptions(), channel).RunOnceAsync(CancellationToken.None);

        (await _store.ListNotificationsAsync(null, null, 10, CancellationToken.None)).ShouldHaveSingleItem()
            .SentAt.ShouldBe(new DateTimeOffset(2025, 6, 1, 12, 0, 42, TimeSpan.Zero));
    }

    [Fact]
    public async Task NotificationForAChannelNoLongerConfigured_IsMarkedFailedWithoutAttempts()
    {
        var channel = new FakeNotificationChannel("pager", _clock, _ => DeliveryResult.Success(200));
        await EnqueueAsync("old-slack");

        var summary = await Dispatcher(new NotificationDispatchOptions(), channel).RunOnceAsync(CancellationToken.None);

        summary.ShouldBe(new NotificationDispatchSummary(0, 1));
        channel.Attempts.ShouldBeEmpty();
        var notification = (await _store.ListNotificationsAsync(null, null, 10, CancellationToken.None)).ShouldHaveSingleItem();
        notification.Status.ShouldBe(NotificationStatus.Failed);
        notification.Attempts.ShouldBe(0);
        notification.LastError.ShouldBe("channel 'old-slack' is not configured");
    }

    [Fact]
    public async Task ChannelThatThrows_IsRecordedAsFailed_AndTheRunDoesNotThrow()
    {
        var channel = new FakeNotificationChannel("pager", _clock, _ => throw new InvalidOperationException("channel bug"));
        await EnqueueAsync("pager");

        var summary = await Dispatcher(new NotificationDispatchOptions(), channel).RunOnceAsync(CancellationToken.None);

        summary.ShouldBe(new NotificationDispatchSummary(0, 1));
        (await _store.ListNotificationsAsync(null, null, 10, CancellationToken.None)).ShouldHaveSingleItem().LastError.ShouldBe("channel bug");
        _logger.Entries.ShouldContain(e => e.EventId == 406 && e.Exception is InvalidOperationException);
    }

    [Fact]
    public void InvalidOptions_AreRejectedWithEveryProblemAtOnce()
    {
        var options = new NotificationDispatchOptions { MaxAttempts = 0, BatchSize = 0, AttemptTimeout = TimeSpan.Zero };

        var error = Should.Throw<ArgumentException>(() => Dispatcher(options));

        error.Message.ShouldContain("max_attempts");
        error.Message.ShouldContain("batch_size");
        error.Message.ShouldContain("attempt_timeout");
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private NotificationDispatcher Dispatcher(NotificationDispatchOptions options, params INotificationChannel[] channels) =>
        new(_store, new NotificationChannelRegistry(channels), options, _clock, _logger);

    private async Task EnqueueAsync(string channel, long? incidentId = null)
    {
        var outbox = new NotificationOutbox([new NotificationOptions { Name = channel, Kind = "webhook" }]);
        await using var transaction = await _store.BeginAsync(CancellationToken.None);
        await outbox.EnqueueAsync(transaction, incidentId, "incident/1/complete", Message, _clock.GetUtcNow(), CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    private async Task<OutboxNotification> SingleAsync() =>
        (await _store.ListNotificationsAsync(null, null, 10, CancellationToken.None)).ShouldHaveSingleItem();

    private async Task<long> OpenIncidentAsync()
    {
        await using var transaction = await _store.BeginAsync(CancellationToken.None);
        var incident = await transaction.InsertIncidentAsync(
            new Incident { Target = "checkout", Policy = "p", DetectedAt = _clock.GetUtcNow(), TriggerRule = "r", TriggerAction = Watchdog.Rules.DecisionAction.Rollback, TriggerAuthority = Watchdog.Rules.Authority.Automatic, TriggerSummary = "s" },
            CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return incident.Id;
    }
}
