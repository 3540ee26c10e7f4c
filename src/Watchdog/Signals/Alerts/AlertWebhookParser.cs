using System.Text.Json;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// Reads Alertmanager's webhook payload, version 4. The whole body is refused at its first bad part, so that a
/// notification is stored entirely or not at all; errors name the part (<c>alerts[2].startsAt</c>).
/// </summary>
internal static class AlertWebhookParser
{
    public const string SupportedVersion = "4";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static AlertWebhookParse Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            return AlertWebhookParse.Refused($"malformed JSON: {exception.Message}");
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static AlertWebhookParse Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return AlertWebhookParse.Refused($"expected an Alertmanager webhook object, got a JSON {Kind(root)}");
        }

        if (!root.TryGetProperty("version", out var version))
        {
            return AlertWebhookParse.Refused($"version: missing; Watchdog reads Alertmanager webhook payloads of version \"{SupportedVersion}\"");
        }

        if (version.ValueKind != JsonValueKind.String || version.GetString() != SupportedVersion)
        {
            return AlertWebhookParse.Refused(
                $"version: unsupported webhook version {version.GetRawText()}; Watchdog reads Alertmanager webhook payloads of version \"{SupportedVersion}\"");
        }

        if (!root.TryGetProperty("alerts", out var alerts) || alerts.ValueKind != JsonValueKind.Array)
        {
            return AlertWebhookParse.Refused("alerts: expected an array of alerts");
        }

        var parsed = new List<WebhookAlert>(alerts.GetArrayLength());
        var index = 0;
        foreach (var alert in alerts.EnumerateArray())
        {
            var (value, error) = ReadAlert(alert, $"alerts[{index}]");
            if (error is not null)
            {
                return AlertWebhookParse.Refused(error);
            }

            parsed.Add(value!);
            index++;
        }

        return new AlertWebhookParse(parsed, null);
    }

    private static (WebhookAlert? Alert, string? Error) ReadAlert(JsonElement alert, string path)
    {
        if (alert.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{path}: expected an alert object, got a JSON {Kind(alert)}");
        }

        if (!TryText(alert, "fingerprint", out var fingerprint) || fingerprint.Length == 0)
        {
            return (null, $"{path}.fingerprint: expected a non-empty string");
        }

        if (!TryText(alert, "status", out var status) || status is not (WebhookAlert.Firing or WebhookAlert.Resolved))
        {
            return (null, $"{path}.status: expected \"{WebhookAlert.Firing}\" or \"{WebhookAlert.Resolved}\"");
        }

        if (!alert.TryGetProperty("labels", out var labelsElement) || labelsElement.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{path}.labels: expected an object of label names to values");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labelsElement.EnumerateObject())
        {
            if (label.Value.ValueKind != JsonValueKind.String)
            {
                return (null, $"{path}.labels.{label.Name}: expected a string, got a JSON {Kind(label.Value)}");
            }

            labels[label.Name] = label.Value.GetString()!;
        }

        if (!TryTime(alert, "startsAt", out var startsAt) || startsAt is not { } starts)
        {
            return (null, $"{path}.startsAt: expected an RFC 3339 time");
        }

        if (!TryTime(alert, "endsAt", out var endsAt))
        {
            return (null, $"{path}.endsAt: expected an RFC 3339 time");
        }

        return (new WebhookAlert(fingerprint, status, labels.GetValueOrDefault("alertname", ""), labels, starts, endsAt, alert.GetRawText()), null);
    }

    private static bool TryText(JsonElement parent, string name, out string text)
    {
        text = "";
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        text = element.GetString()!;
        return true;
    }

    /// <summary>Absent, null and Go's zero time are all "unset" (true, null); anything else must be a time.</summary>
    private static bool TryTime(JsonElement parent, string name, out DateTimeOffset? time)
    {
        time = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String || !element.TryGetDateTimeOffset(out var value))
        {
            return false;
        }

        if (value.Year > 1)
        {
            time = value;
        }

        return true;
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
}
