using System.Collections.Concurrent;
using System.Text.Json;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;

namespace Watchdog.Tests.Fakes;

/// <summary>
/// Keeps every message it is asked to queue, and queues it in the caller's transaction for one channel
/// (<c>test</c>) as the real outbox does, so a rolled-back message never reaches the store. <see cref="Calls"/>
/// holds every call, including those the outbox dedupes (so a "notified once" test also catches a caller that asks
/// twice); <see cref="Queued"/> only what the store took.
/// </summary>
internal sealed class RecordingNotificationOutbox : INotificationOutbox
{
    public const string Channel = "test";

    public ConcurrentQueue<(string EventKey, NotificationMessage Message)> Calls { get; } = new();

    /// <summary>The messages the store queued (a repeated event key is queued once).</summary>
    public ConcurrentQueue<(string EventKey, NotificationMessage Message)> Queued { get; } = new();

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
        if (queued)
        {
            Queued.Enqueue((eventKey, message));
        }

        return queued ? 1 : 0;
    }
}
