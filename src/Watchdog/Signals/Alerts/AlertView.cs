using System.Text.Json;
using Watchdog.Incidents;
using Watchdog.Records;

namespace Watchdog.Signals.Alerts;

/// <summary>One received alert as <c>GET /api/v1/alerts</c> shows it.</summary>
/// <param name="Targets">The targets it matched when it arrived; empty when none.</param>
/// <param name="Alert">The alert's JSON as Alertmanager sent it.</param>
/// <param name="LastSeenAt">When a copy of it last arrived; its retention counts from here.</param>
internal sealed record AlertView(
    long Id,
    string Fingerprint,
    string Status,
    string AlertName,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<string> Targets,
    JsonElement Alert,
    DateTimeOffset LastSeenAt)
{
    public static AlertView Of(ReceivedAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        JsonElement payload;
        try
        {
            using var document = JsonDocument.Parse(alert.Payload);
            payload = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Stored by this intake, so always JSON; should a row be edited by hand, show it rather than fail the list.
            payload = JsonSerializer.SerializeToElement(alert.Payload, AlertJsonContext.Default.String);
        }

        return new AlertView(
            alert.Id, alert.Fingerprint, alert.Status, alert.AlertName, alert.StartsAt, alert.EndsAt, alert.ReceivedAt,
            AlertTargets.Split(alert.Target), payload, alert.LastSeenAt > alert.ReceivedAt ? alert.LastSeenAt : alert.ReceivedAt);
    }
}
