using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Telemetry;

namespace Watchdog.Incidents.Notifications;

/// <summary>
/// Sends what the outbox holds (each channel's HTTP client retries transient failures with exponential backoff,
/// see <see cref="NotificationHttpClient"/>), and records each outcome
/// (status, attempts, error) with a timeline event in one transaction. A failed notification is recorded, never
/// thrown: a rollback must never wait for, or fail because of, a message about it.
/// </summary>
internal sealed class NotificationDispatcher
{
    private static readonly JsonSerializerOptions DetailJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly IWatchdogStore _store;
    private readonly NotificationChannelRegistry _channels;
    private readonly NotificationDispatchOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly WatchdogMetrics? _metrics;
    private DateTimeOffset _nextRedelivery = DateTimeOffset.MinValue; // the first run takes up what a previous process deferred

    public NotificationDispatcher(
        IWatchdogStore store,
        NotificationChannelRegistry channels,
        NotificationDispatchOptions options,
        TimeProvider time,
        ILogger<NotificationDispatcher> logger,
        WatchdogMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is [_, ..] errors)
        {
            throw new ArgumentException("invalid notification dispatch options: " + string.Join("; ", errors), nameof(options));
        }

        _store = store;
        _channels = channels;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Sends every pending notification once through its channel's retries; not re-entrant (the loop calls it in turn).</summary>
    /// <exception cref="OperationCanceledException">Only on shutdown; unsent notifications stay pending for the next start.</exception>
    public async Task<NotificationDispatchSummary> RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<OutboxNotification> pending;
        try
        {
            await RequeueDeferredAsync(cancellationToken);
            pending = await _store.ListNotificationsAsync(NotificationStatus.Pending, null, _options.BatchSize, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // By design: swallow. The store may be unreachable for a moment; the loop must survive and read again next tick.
            NotificationLog.ListFailed(_logger, e);
            return NotificationDispatchSummary.None;
        }

        // Channels are independent: a receiver that is down, and retried for seconds, must not hold back the others.
        // Within a channel the outbox order holds, so "in progress" never arrives after "complete".
        var perChannel = await Task.WhenAll(pending
            .GroupBy(notification => notification.Channel, StringComparer.Ordinal)
            .Select(queue => DispatchChannelAsync(queue, cancellationToken)));
        return new NotificationDispatchSummary(perChannel.Sum(s => s.Sent), perChannel.Sum(s => s.Failed));
    }

    /// <summary>Once per redelivery interval, what was deferred goes back to pending, oldest first.</summary>
    private async Task RequeueDeferredAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < _nextRedelivery)
        {
            return;
        }

        var deferred = await _store.ListNotificationsAsync(NotificationStatus.Deferred, null, _options.BatchSize, cancellationToken);
        if (deferred.Count > 0)
        {
            await using var transaction = await _store.BeginAsync(cancellationToken);
            foreach (var notification in deferred)
            {
                await transaction.UpdateNotificationAsync(notification with { Status = NotificationStatus.Pending }, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            NotificationLog.Redelivering(_logger, deferred.Count);
        }

        _nextRedelivery = now + _options.RedeliveryInterval;
    }

    private async Task<NotificationDispatchSummary> DispatchChannelAsync(IEnumerable<OutboxNotification> queue, CancellationToken cancellationToken)
    {
        int sent = 0, failed = 0;
        foreach (var notification in queue)
        {
            using var span = WatchdogActivities.Source.StartActivity(WatchdogActivities.NotificationSend);
            span?.SetTag("watchdog.notification.channel", notification.Channel);
            span?.SetTag("watchdog.notification.kind", notification.Kind);
            span?.SetTag("watchdog.notification.event", notification.EventKey);
            var (result, attempts) = await DeliverAsync(notification, cancellationToken);
            span?.SetTag("watchdog.notification.attempts", attempts);
            if (!result.Delivered)
            {
                span?.SetStatus(ActivityStatusCode.Error, result.Error);
            }

            if (!await RecordAsync(notification, result, attempts))
            {
                continue;
            }

            if (result.Delivered)
            {
                sent++;
            }
            else
            {
                failed++;
            }
        }

        return new NotificationDispatchSummary(sent, failed);
    }

    private async Task<(DeliveryResult Result, int Attempts)> DeliverAsync(OutboxNotification notification, CancellationToken cancellationToken)
    {
        if (_channels.Find(notification.Channel) is not { } channel)
        {
            return (DeliveryResult.Failure($"channel '{notification.Channel}' is not configured", null, transient: false), 0);
        }

        NotificationMessage message;
        try
        {
            message = NotificationBody.Deserialize(notification.Body);
        }
        catch (JsonException e)
        {
            return (DeliveryResult.Failure($"unreadable message body: {e.Message}", null, transient: false), 0);
        }

        try
        {
            var result = await channel.SendAsync(notification, message, cancellationToken);
            return (result, result.Attempts);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A channel broke its contract (failure is a value) and threw. By design: recorded like any failure,
            // so one faulty channel cannot stop the dispatcher or the messages queued behind it.
            NotificationLog.ChannelThrew(_logger, channel.Name, notification.EventKey, e);
            return (DeliveryResult.Failure(e.Message, null, transient: false), 1);
        }
    }

    /// <returns>Whether the outcome was recorded; if not, the notification stays pending and is sent again later.</returns>
    private async Task<bool> RecordAsync(OutboxNotification notification, DeliveryResult result, int attempts)
    {
        var now = _time.GetUtcNow();
        var total = notification.Attempts + attempts;
        var updated = notification with
        {
            Status = result.Delivered ? NotificationStatus.Sent
                : result.Transient && total < _options.MaxAttempts * _options.MaxRounds ? NotificationStatus.Deferred
                : NotificationStatus.Failed,
            Attempts = total,
            SentAt = result.Delivered ? now : null,
            LastError = result.Delivered ? null : result.Error,
        };

        try
        {
            // Not cancellable: once a receiver has the message, shutting down must not lose the record of it,
            // or the next start would send it again.
            await using var transaction = await _store.BeginAsync(CancellationToken.None);
            await transaction.UpdateNotificationAsync(updated, CancellationToken.None);
            // The timeline says it once when a notification is first deferred, not at every round.
            var firstDeferral = updated.Status == NotificationStatus.Deferred && notification.Attempts == 0;
            if (notification.IncidentId is { } incidentId && (updated.Status != NotificationStatus.Deferred || firstDeferral))
            {
                await transaction.AppendEventAsync(TimelineEvent(incidentId, updated, now, _options.RedeliveryInterval), CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // By design: swallow. A store outage must not stop the dispatcher; the row stays pending and is retried.
            NotificationLog.RecordFailed(_logger, notification.EventKey, notification.Channel, e);
            return false;
        }

        if (result.Delivered)
        {
            NotificationLog.Sent(_logger, notification.EventKey, notification.Kind, notification.Channel, updated.Attempts);
        }
        else
        {
            NotificationLog.Failed(_logger, notification.EventKey, notification.Kind, notification.Channel, updated.Attempts, updated.LastError ?? "unknown");
        }

        _metrics?.NotificationRecorded(notification.Channel, updated.Status);

        return true;
    }

    private static IncidentEvent TimelineEvent(long incidentId, OutboxNotification notification, DateTimeOffset now, TimeSpan redelivery)
    {
        var sent = notification.Status == NotificationStatus.Sent;
        var summary = notification.Status switch
        {
            NotificationStatus.Sent => $"Notified {notification.Channel}: {notification.Kind}",
            NotificationStatus.Deferred => $"Notifying {notification.Channel} failed after {notification.Attempts} attempt(s): {notification.LastError}; sending it again every {MessageFormat.Duration(redelivery)}",
            _ => $"Notifying {notification.Channel} failed after {notification.Attempts} attempt(s): {notification.LastError}",
        };
        var detail = JsonSerializer.Serialize(
            new { notification.Channel, notification.Kind, notification.EventKey, notification.Attempts, Error = notification.LastError },
            DetailJson);
        return new IncidentEvent(incidentId, now, sent ? IncidentEventKind.NotificationSent : IncidentEventKind.NotificationFailed, summary, detail);
    }
}
