namespace Watchdog.Signals.Alerts;

/// <summary>The latest known state of one alert (one fingerprint) as far as a target's signal is concerned.</summary>
/// <param name="LastSeenAt">When a copy of it last arrived; its retention counts from here.</param>
internal readonly record struct AlertMark(string Status, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, DateTimeOffset LastSeenAt)
{
    /// <summary>
    /// Whether this mark is newer news than <paramref name="other"/>. A later start is a new firing; at the same start,
    /// resolved ends firing; so a retried or late firing notification cannot undo a resolution, whatever the order
    /// notifications arrive or are loaded in.
    /// </summary>
    public bool Supersedes(AlertMark other) =>
        StartsAt != other.StartsAt ? StartsAt > other.StartsAt
        : Status != other.Status ? Status == WebhookAlert.Resolved
        : LastSeenAt >= other.LastSeenAt;

    /// <summary>Firing, and not past the end Alertmanager announced for it (a lost resolution must not fire forever).</summary>
    public bool IsFiringAt(DateTimeOffset now) => Status == WebhookAlert.Firing && (EndsAt is not { } ends || ends > now);
}
