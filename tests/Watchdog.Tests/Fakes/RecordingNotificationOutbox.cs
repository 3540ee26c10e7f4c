using System.Collections.Concurrent;
using System.Text.Json;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Store;

namespace Watchdog.Tests.Fakes;

/// <summary>
/// Keeps every message it is asked to queue, and queues it in the caller's transaction for one channel
/// (<c>test</c>) as the real outbox does, so a rolled-back message never reaches the store. Unlike
/// <see cref="RecordingOutbox"/> it records the calls the outbox would dedupe too, so a "notified once" test
/// also catches a caller that asks twice.
/// </summary>
public sealed class RecordingNotificationOutbox : INotificationOutbox
{
    public const string Channel = "test";

    public ConcurrentQueue<(string EventKey, NotificationMessage Message)> Calls { get; } = new();

    /// <summary>Who each message was addressed to, by event key (null: everyone).</summary>
    public ConcurrentDictionary<string, IReadOnlyCollection<string>?> Audiences { get; } = new();

    public async Task<int> EnqueueAsync(
        IStoreTransaction transaction, long? incidentId, string eventKey, NotificationMessage message, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlyCollection<string>? audience = null)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(message);
        Calls.Enqueue((eventKey, message));
        Audiences[eventKey] = audience;
        var queued = await transaction.TryEnqueueNotificationAsync(
            new OutboxNotification(incidentId, eventKey, Channel, message.Kind, JsonSerializer.Serialize(message), now),
            cancellationToken);
        return queued ? 1 : 0;
    }
}
