namespace Watchdog.Records;

/// <summary>
/// A notification waiting to be sent, or sent. Written in the same transaction as the event it reports;
/// <see cref="EventKey"/> is unique per channel, so the same event is never queued twice.
/// </summary>
/// <param name="EventKey">Identifies the event, e.g. <c>incident/12/rollback-in-progress/run/3</c>.</param>
/// <param name="Channel">The notification channel's name from the configuration.</param>
/// <param name="Kind">e.g. <c>rollback-in-progress</c>, <c>approval-requested</c>.</param>
/// <param name="Body">The message as JSON (title, fields, text), rendered per channel when sent.</param>
internal sealed record OutboxNotification(long? IncidentId, string EventKey, string Channel, string Kind, string Body, DateTimeOffset CreatedAt)
{
    public long Id { get; init; }

    public NotificationStatus Status { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    public string? LastError { get; init; }
}
