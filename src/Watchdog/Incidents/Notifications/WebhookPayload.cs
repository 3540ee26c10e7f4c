namespace Watchdog.Incidents.Notifications;

/// <summary>The body a generic webhook receives, in snake_case: <c>{event_key, kind, title, fields, text, incident_id, created_at}</c>.</summary>
internal sealed record WebhookPayload(
    string EventKey,
    string Kind,
    string Title,
    OrderedDictionary<string, string> Fields,
    string? Text,
    long? IncidentId,
    string CreatedAt);
