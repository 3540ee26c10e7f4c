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

        if (version.ValueKind != JsonValueKind.String || Decode(version.GetString, "version", out _) != SupportedVersion)
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

        if (!TryText(alert, "fingerprint", $"{path}.fingerprint", out var fingerprint, out var fingerprintError) || fingerprint.Length == 0)
        {
            return (null, fingerprintError ?? $"{path}.fingerprint: expected a non-empty string");
        }

        if (!TryText(alert, "status", $"{path}.status", out var status, out var statusError) || status is not (WebhookAlert.Firing or WebhookAlert.Resolved))
        {
            return (null, statusError ?? $"{path}.status: expected \"{WebhookAlert.Firing}\" or \"{WebhookAlert.Resolved}\"");
        }

        if (!alert.TryGetProperty("labels", out var labelsElement) || labelsElement.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{path}.labels: expected an object of label names to values");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labelsElement.EnumerateObject())
        {
            if (Decode(() => label.Name, $"{path}.labels", out var labelError) is not { } name)
            {
                return (null, labelError);
            }

            if (label.Value.ValueKind != JsonValueKind.String)
            {
                return (null, $"{path}.labels.{name}: expected a string, got a JSON {Kind(label.Value)}");
            }

            if (Decode(label.Value.GetString, $"{path}.labels.{name}", out var valueError) is not { } value)
            {
                return (null, valueError);
            }

            labels[name] = value;
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

    /// <summary>A string property; false when it is absent or not a string, or (with <paramref name="error"/>) when it is no text.</summary>
    private static bool TryText(JsonElement parent, string name, string path, out string text, out string? error)
    {
        text = "";
        error = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var decoded = Decode(element.GetString, path, out error);
        text = decoded ?? "";
        return decoded is not null;
    }

    /// <summary>
    /// A JSON string as text, or null with the reason. Half a surrogate pair written as an escape (<c>\ud800</c>) is
    /// valid JSON syntax, so the document parses, but it decodes to no UTF-16 text: System.Text.Json throws only
    /// when the string is read, and that must be a 400 naming the part, not a 500 that Alertmanager retries forever.
    /// </summary>
    private static string? Decode(Func<string?> read, string path, out string? error)
    {
        try
        {
            error = null;
            return read() ?? "";
        }
        catch (InvalidOperationException exception)
        {
            error = $"{path}: malformed JSON string: {exception.Message}";
            return null;
        }
    }

    /// <summary>Absent, null and Go's zero time are all "unset" (true, null); anything else must be a time.</summary>
    private static bool TryTime(JsonElement parent, string name, out DateTimeOffset? time)
    {
        time = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        // TryGetDateTimeOffset throws, rather than answering false, on a string that decodes to no text.
        if (element.ValueKind != JsonValueKind.String || Decode(element.GetString, name, out _) is null || !element.TryGetDateTimeOffset(out var value))
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
