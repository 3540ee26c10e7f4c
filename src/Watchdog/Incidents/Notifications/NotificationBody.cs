using System.Text.Json;

namespace Watchdog.Incidents.Notifications;

/// <summary>
/// The outbox stores the message, not a rendering of it, so a channel renders it when sending: Slack as the runbook's
/// text block, a webhook as structured JSON. Fields stay a list, so their order survives the round trip.
/// </summary>
internal static class NotificationBody
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(NotificationMessage message) => JsonSerializer.Serialize(message, Json);

    /// <exception cref="JsonException">The stored body is not a message (edited by hand, or written by a newer version).</exception>
    public static NotificationMessage Deserialize(string body) =>
        JsonSerializer.Deserialize<NotificationMessage>(body, Json) is { Kind: not null, Title: not null, Fields: not null } message
            ? message
            : throw new JsonException("the notification body is not a message");
}
