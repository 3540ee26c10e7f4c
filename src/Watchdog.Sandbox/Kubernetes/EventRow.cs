using System.Globalization;
using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// The API server's printer for core/v1 Events (printers.go printEvent): all ten columns, as the server always prints
/// wide; kubectl shows those of priority 0 (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE) and the rest with <c>-o wide</c>.
/// </summary>
internal static class EventRow
{
    public static readonly (string Name, string Type)[] Columns =
    [
        ("Last Seen", "string"), ("Type", "string"), ("Reason", "string"), ("Object", "string"), ("Subobject", "string"),
        ("Source", "string"), ("Message", "string"), ("First Seen", "string"), ("Count", "string"), ("Name", "string"),
    ];

    public static readonly HashSet<string> WideOnly = new(StringComparer.Ordinal) { "Subobject", "Source", "First Seen", "Count", "Name" };

    public static JsonNode?[] Cells(JsonObject e, DateTimeOffset now)
    {
        // A zero firstTimestamp falls back to eventTime, a zero lastTimestamp to the first; a series wins over both.
        var first = Since(e["firstTimestamp"], now) ?? Since(e["eventTime"], now) ?? "<unknown>";
        var last = Since(e["lastTimestamp"], now) ?? first;
        var count = e["count"]?.GetValue<long>() ?? 0;
        if (e["series"] is JsonObject series)
        {
            last = Since(series["lastObservedTime"], now) ?? "<unknown>";
            count = series["count"]?.GetValue<long>() ?? 0;
        }
        else if (count == 0)
        {
            count = 1;
        }

        var involved = e["involvedObject"];
        var kind = Text(involved?["kind"]).ToLowerInvariant();
        var name = Text(involved?["name"]);
        return
        [
            last, Text(e["type"]), Text(e["reason"]), name.Length > 0 ? $"{kind}/{name}" : kind, Text(involved?["fieldPath"]),
            Source(e), Text(e["message"]).Trim(), first, count, Text(e["metadata"]?["name"]),
        ];
    }

    /// <summary>formatEventSource: component (or reportingComponent), then ", host" (or reportingInstance) when there is one.</summary>
    private static string Source(JsonObject e)
    {
        var component = FirstNonEmpty(Text(e["source"]?["component"]), Text(e["reportingComponent"]));
        var instance = FirstNonEmpty(Text(e["source"]?["host"]), Text(e["reportingInstance"]));
        return component.Length == 0 ? "<unknown>" : instance.Length == 0 ? component : $"{component}, {instance}";
    }

    private static string FirstNonEmpty(string a, string b) => a.Length > 0 ? a : b;

    private static string? Since(JsonNode? timestamp, DateTimeOffset now) =>
        timestamp?.GetValueKind() == System.Text.Json.JsonValueKind.String && timestamp.GetValue<string>() is { Length: > 0 } text
            ? TablePrinter.HumanDuration(now - DateTimeOffset.Parse(text, CultureInfo.InvariantCulture))
            : null;

    private static string Text(JsonNode? node) =>
        node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : "";
}
