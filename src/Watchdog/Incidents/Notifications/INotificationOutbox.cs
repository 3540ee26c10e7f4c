using Watchdog.Records;


namespace Watchdog.Incidents.Notifications;

/// <summary>
/// Queues a message for every configured channel inside the caller's transaction, so the message exists
/// exactly when the event it reports does. Sending happens later, elsewhere: a notification never blocks a rollback.
/// </summary>
internal interface INotificationOutbox
{
    /// <param name="eventKey">Identifies the event (e.g. <c>incident/12/run/3/in-progress</c>); queuing the same key again is a no-op.</param>
    /// <param name="audience">The names the message is addressed to (an escalation level's <c>notify</c>); channels kept for some
    /// names (<c>only_for</c>) get it only if one of theirs is among them. Null: a message for everyone, which those channels skip.</param>
    /// <returns>How many channels the message was newly queued for.</returns>
    Task<int> EnqueueAsync(IStoreTransaction transaction, long? incidentId, string eventKey, NotificationMessage message, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlyCollection<string>? audience = null);
}
