using System.Text.Json.Serialization;

namespace Watchdog.Incidents.Notifications;

/// <summary>The body of a Slack incoming-webhook call.</summary>
internal sealed record SlackPayload([property: JsonPropertyName("text")] string Text);
