using System.Text.Json.Nodes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// The JSON Patch of <c>service-selector-switch</c>: the runbook's merge patch of <c>spec.selector</c> (the keys named are
/// set, the others kept) made a server-side compare-and-swap, so a Service changed since it was read is refused (409/422)
/// instead of overwritten; plus the selector before the first switch, remembered in an annotation on the Service.
/// </summary>
internal static class ServiceSelectorPatch
{
    public const string BeforeAnnotation = "watchdog.io/selector-before";

    /// <summary>The selector after the switch: <paramref name="current"/> with <paramref name="wanted"/>'s keys set, new keys last.</summary>
    public static List<KeyValuePair<string, string>> Desired(JsonObject current, SelectorLabels wanted)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(wanted);
        var desired = Labels(current);
        foreach (var (key, value) in wanted.Pairs)
        {
            var at = desired.FindIndex(p => p.Key == key);
            if (at < 0)
            {
                desired.Add(new(key, value));
            }
            else
            {
                desired[at] = new(key, value);
            }
        }

        return desired;
    }

    public static bool AlreadySelects(JsonObject current, SelectorLabels wanted) =>
        wanted.Pairs.All(p => Value(current, p.Key) == p.Value);

    /// <summary>
    /// <c>test</c> of the resourceVersion and of every value replaced, then <c>replace</c>/<c>add</c> of each key that
    /// changes, then the <see cref="BeforeAnnotation"/> unless an earlier switch wrote it.
    /// </summary>
    public static JsonArray Build(JsonObject service, SelectorLabels wanted)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(wanted);
        var metadata = service["metadata"] as JsonObject ?? throw new ArgumentException("the Service has no metadata", nameof(service));
        var resourceVersion = metadata["resourceVersion"]?.GetValue<string>() ?? throw new ArgumentException("the Service has no resourceVersion", nameof(service));
        var selector = service["spec"]?["selector"] as JsonObject ?? throw new ArgumentException("the Service has no selector", nameof(service));
        var tests = new List<JsonNode> { Op("test", "/metadata/resourceVersion", resourceVersion) };
        var changes = new List<JsonNode>();
        foreach (var (key, value) in wanted.Pairs)
        {
            var path = "/spec/selector/" + JsonPointer.Escape(key);
            switch (Value(selector, key))
            {
                case null:
                    changes.Add(Op("add", path, value));
                    break;
                case { } now when now != value:
                    tests.Add(Op("test", path, now));
                    changes.Add(Op("replace", path, value));
                    break;
            }
        }

        // Only the first switch is remembered: a second one must not make "before" the already-switched selector.
        var before = selector.ToJsonString();
        switch (metadata["annotations"])
        {
            case JsonObject annotations when annotations.ContainsKey(BeforeAnnotation):
                break;
            case JsonObject:
                changes.Add(Op("add", "/metadata/annotations/" + JsonPointer.Escape(BeforeAnnotation), before));
                break;
            default:
                changes.Add(Op("add", "/metadata/annotations", new JsonObject { [BeforeAnnotation] = before }));
                break;
        }

        return new JsonArray([.. tests, .. changes]);
    }

    public static List<KeyValuePair<string, string>> Labels(JsonObject selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return selector.Select(p => new KeyValuePair<string, string>(p.Key, p.Value?.GetValue<string>() ?? "")).ToList();
    }

    private static string? Value(JsonObject selector, string key) => selector[key]?.GetValue<string>();

    private static JsonObject Op(string op, string path, JsonNode value) => new() { ["op"] = op, ["path"] = path, ["value"] = value };
}
