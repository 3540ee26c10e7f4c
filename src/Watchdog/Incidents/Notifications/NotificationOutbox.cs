using Watchdog.Configuration;
using Watchdog.Records;

namespace Watchdog.Incidents.Notifications;

/// <summary>
/// Queues a message once per configured channel that takes it (all of them, unless a channel is kept for some names only);
/// the store's (event key, channel) uniqueness makes a repeat a no-op.
/// </summary>
internal sealed class NotificationOutbox(IReadOnlyList<NotificationOptions> channels) : INotificationOutbox
{
    public async Task<int> EnqueueAsync(
        IStoreTransaction transaction, long? incidentId, string eventKey, NotificationMessage message, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlyCollection<string>? audience = null)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventKey);
        ArgumentNullException.ThrowIfNull(message);

        var body = NotificationBody.Serialize(message);
        var queued = 0;
        foreach (var channel in channels.Where(c => c.OnlyFor.Count == 0 || audience?.Any(c.OnlyFor.Contains) == true))
        {
            var notification = new OutboxNotification(incidentId, eventKey, channel.Name, message.Kind, body, now);
            if (await transaction.TryEnqueueNotificationAsync(notification, cancellationToken))
            {
                queued++;
            }
        }

        return queued;
    }
}
