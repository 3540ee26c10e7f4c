using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Store;

namespace Watchdog.Tests.Fakes;

/// <summary>An outbox with one channel, "test", that queues through the store like the real one.</summary>
internal sealed class RecordingOutbox : INotificationOutbox
{
    public List<(string EventKey, NotificationMessage Message)> Queued { get; } = [];

    public async Task<int> EnqueueAsync(IStoreTransaction transaction, long? incidentId, string eventKey, NotificationMessage message, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlyCollection<string>? audience = null)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(message);
        var queued = await transaction.TryEnqueueNotificationAsync(new OutboxNotification(incidentId, eventKey, "test", message.Kind, body, now), cancellationToken);
        if (queued)
        {
            lock (Queued)
            {
                Queued.Add((eventKey, message));
            }
        }

        return queued ? 1 : 0;
    }
}
