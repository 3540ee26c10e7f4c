namespace Watchdog.Records;

/// <summary>An alert received from Alertmanager, as persisted before the webhook is answered.</summary>
/// <param name="Fingerprint">Alertmanager's fingerprint of the alert's labels.</param>
/// <param name="Status"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="Payload">The alert's JSON as received.</param>
internal sealed record ReceivedAlert(
    string Fingerprint,
    string Status,
    string AlertName,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    DateTimeOffset ReceivedAt,
    string? Target,
    string Payload)
{
    public long Id { get; init; }

    /// <summary>When a copy of it last arrived (Alertmanager re-sends firing alerts); its retention counts from here.</summary>
    public DateTimeOffset LastSeenAt { get; init; }
}
