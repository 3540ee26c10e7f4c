namespace Watchdog.Signals.Alerts;

/// <summary>One alert of an Alertmanager webhook notification, validated.</summary>
/// <param name="Status"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="AlertName">The <c>alertname</c> label; empty when the alert has none.</param>
/// <param name="EndsAt">Null when unset (Alertmanager sends Go's zero time, <c>0001-01-01T00:00:00Z</c>, for most firing alerts).</param>
/// <param name="Payload">The alert's JSON exactly as received.</param>
internal sealed record WebhookAlert(
    string Fingerprint,
    string Status,
    string AlertName,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string Payload)
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";
}
