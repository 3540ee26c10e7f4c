using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Watchdog.Hosting.OnCall;

/// <summary>
/// The API's JSON answers as text for people: aligned tables of targets, incidents and approvals, and one incident's
/// summary and timeline. Reads the fields the endpoints write (camelCase) and nothing else; <c>--json</c> skips this.
/// </summary>
internal static class ApiAnswerText
{
    /// <summary><c>GET /api/v1/targets</c>. The SETTLING column shows only when the daemon's answer has the field.</summary>
    public static string Targets(JsonElement targets)
    {
        var settling = targets.EnumerateArray().Any(t => t.TryGetProperty("settling", out var value) && value.ValueKind != JsonValueKind.Null);
        var table = settling
            ? new TextTable("TARGET", "DECISION", "SIGNALS", "INCIDENT", "SETTLING")
            : new TextTable("TARGET", "DECISION", "SIGNALS", "INCIDENT");
        foreach (var target in targets.EnumerateArray())
        {
            var incident = Object(target, "openIncident") is { } open
                ? $"#{Raw(open, "id")} since {Time(open, "detectedAt")} ({String(open, "rule")})"
                : null;
            table.Add(String(target, "name"), Decision(target), Signals(target), incident, settling ? Settling(target) : null);
        }

        return table.ToString();
    }

    /// <summary>
    /// <c>GET /api/v1/ha</c> as the line above the targets: who leads, at which epoch and since when, and what the replica
    /// that answered is; nothing with one replica.
    /// </summary>
    public static string? Leader(string body)
    {
        using var document = JsonDocument.Parse(body);
        var ha = document.RootElement;
        if (ha.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False)
        {
            return null;
        }

        var leader = Object(ha, "leader") is { } known
            ? $"{Line(String(known, "identity"))} (epoch {Raw(known, "epoch")}, since {Time(known, "since")})"
            : "none seen yet";
        return $"LEADER {leader}; answered by {Line(String(ha, "identity"))}, a {Line(String(ha, "role"))}\n";
    }

    /// <summary><c>GET /api/v1/incidents</c>.</summary>
    public static string Incidents(JsonElement incidents)
    {
        var table = new TextTable("ID", "TARGET", "STATUS", "DETECTED", "RULE", "SUMMARY");
        foreach (var incident in incidents.EnumerateArray())
        {
            table.Add(Raw(incident, "id"), String(incident, "target"), String(incident, "status"), Time(incident, "detectedAt"), String(incident, "triggerRule"), String(incident, "triggerSummary"));
        }

        return table.Count == 0 ? "no incidents\n" : table.ToString();
    }

    /// <summary><c>GET /api/v1/incidents/{id}</c> as JSON: the incident's lines, then its timeline.</summary>
    public static string Incident(JsonElement report)
    {
        var incident = report.GetProperty("incident");
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"incident #{Raw(incident, "id")}: {Line(String(incident, "target"))}, {String(incident, "status")}\n");
        text.Append(CultureInfo.InvariantCulture, $"detected {Time(incident, "detectedAt")} by {Line(String(incident, "triggerRule"))}: {Line(String(incident, "triggerSummary"))}\n");
        text.Append(CultureInfo.InvariantCulture, $"action {String(incident, "triggerAction")} ({String(incident, "triggerAuthority")})\n");
        if (String(incident, "closedAt") is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"closed {Time(incident, "closedAt")}: {Line(String(incident, "closeReason"))}{(String(incident, "closedBy") is { } by ? $" by {Line(by)}" : "")}\n");
        }

        var timeline = new TextTable("AT", "OFFSET", "KIND", "SUMMARY");
        foreach (var entry in report.GetProperty("timeline").EnumerateArray())
        {
            timeline.Add(Time(entry, "at"), String(entry, "offset"), String(entry, "kind"), String(entry, "summary"));
        }

        return text.Append('\n').Append(timeline).ToString();
    }

    /// <summary><c>GET /api/v1/approvals</c>.</summary>
    public static string Approvals(JsonElement approvals)
    {
        var table = new TextTable("ID", "TARGET", "ACTION", "NEEDS", "STATUS", "REQUESTED", "INCIDENT", "DECIDED BY");
        foreach (var approval in approvals.EnumerateArray())
        {
            table.Add(
                Raw(approval, "id"),
                String(approval, "target"),
                String(approval, "action"),
                String(approval, "required"),
                String(approval, "status"),
                Time(approval, "requestedAt"),
                $"#{Raw(approval, "incidentId")}",
                String(approval, "decidedBy"));
        }

        return table.Count == 0 ? "no approvals\n" : table.ToString();
    }

    /// <summary>The answer of <c>POST /api/v1/approvals/{id}/approve</c> or <c>/reject</c>.</summary>
    public static string Decided(JsonElement approval)
    {
        var comment = String(approval, "comment") is { } text ? $": {Line(text)}" : "";
        return $"approval {Raw(approval, "id")} ({Line(String(approval, "target"))}, {String(approval, "action")}) {String(approval, "status")} by {Line(String(approval, "decidedBy"))}{comment}\n";
    }

    private static string Decision(JsonElement target)
    {
        if (Object(target, "decision") is not { } decision)
        {
            return "not evaluated yet";
        }

        var text = new StringBuilder(String(decision, "action"));
        if (String(decision, "rule") is { } rule)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({String(decision, "authority")}, rule {rule})");
        }

        if (decision.TryGetProperty("inconclusive", out var inconclusive) && inconclusive.ValueKind == JsonValueKind.True)
        {
            text.Append(" (inconclusive)");
        }

        if (decision.TryGetProperty("heldBackByCooldown", out var held) && held.ValueKind == JsonValueKind.True)
        {
            text.Append(", held back by cooldown");
        }

        return text.ToString();
    }

    private static string? Signals(JsonElement target)
    {
        if (!target.TryGetProperty("signals", out var signals) || signals.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return string.Join(", ", signals.EnumerateArray().Select(s => $"{String(s, "signal")}={(String(s, "state") == "value" ? String(s, "text") : String(s, "state"))}"));
    }

    // An object saying until when (and how long is left), or null; a flag or a text is shown as it is.
    private static string? Settling(JsonElement target) => target.GetProperty("settling") switch
    {
        { ValueKind: JsonValueKind.Object } value when String(value, "left") is { } left => $"{left} left",
        { ValueKind: JsonValueKind.True } => "yes",
        { ValueKind: JsonValueKind.False } => "no",
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        var value => value.GetRawText(),
    };

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Raw(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value.GetRawText() : null;

    private static string? Time(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : null;

    // Lines outside a table: the same escaping the table cells get.
    private static string Line(string? text) => text is null ? "-" : LogTextEscaping.Escape(text);
}
