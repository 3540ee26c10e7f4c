using Watchdog.Records;


namespace Watchdog.Incidents.Notifications;

/// <summary>
/// Somewhere messages go, by the name it has in <c>notifications:</c>. Makes one attempt per call; the dispatcher
/// retries. Receivers get the outbox event key as an <c>Idempotency-Key</c> header, so a retried message can be dropped.
/// </summary>
internal interface INotificationChannel
{
    /// <summary>The channel's configured name; what logs and the timeline show (never the URL, which may be a secret).</summary>
    string Name { get; }

    /// <summary>Sends once. A refused or failed send is a <see cref="DeliveryResult"/>; only cancellation throws.</summary>
    Task<DeliveryResult> SendAsync(OutboxNotification notification, NotificationMessage message, CancellationToken cancellationToken);
}
