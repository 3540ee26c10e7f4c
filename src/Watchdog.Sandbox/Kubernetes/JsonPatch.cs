using System.Globalization;
using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>RFC 6902 JSON Patch. A failing operation leaves the target half-changed, so callers patch a copy.</summary>
internal static class JsonPatch
{
    /// <summary>Applies the operations to <paramref name="target"/>; false when one fails (missing path, failed test).</summary>
    public static bool TryApply(JsonArray operations, ref JsonNode? target)
    {
        foreach (var item in operations)
        {
            if (item is not JsonObject op || op["op"]?.GetValue<string>() is not { } kind || op["path"]?.GetValue<string>() is not { } path)
            {
                return false;
            }

            var ok = kind switch
            {
                "add" => Add(ref target, path, op["value"]?.DeepClone(), op.ContainsKey("value")),
                "remove" => Remove(ref target, path, out _),
                "replace" => Remove(ref target, path, out _) && Add(ref target, path, op["value"]?.DeepClone(), op.ContainsKey("value")),
                "move" => op["from"]?.GetValue<string>() is { } from && Remove(ref target, from, out var moved) && Add(ref target, path, moved, true),
                "copy" => op["from"]?.GetValue<string>() is { } source && Resolve(target, source, out var copied) && Add(ref target, path, copied?.DeepClone(), true),
                "test" => Resolve(target, path, out var actual) && JsonNode.DeepEquals(actual, op["value"]),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string[] Split(string path) =>
        path.Length == 0 ? [] : path[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static bool Resolve(JsonNode? root, string path, out JsonNode? node)
    {
        node = root;
        foreach (var token in Split(path))
        {
            switch (node)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    node = child;
                    break;
                case JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                    node = array[index];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool Add(ref JsonNode? root, string path, JsonNode? value, bool hasValue)
    {
        if (!hasValue)
        {
            return false;
        }

        var tokens = Split(path);
        if (tokens.Length == 0)
        {
            root = value;
            return true;
        }

        if (!Resolve(root, "/" + string.Join('/', tokens[..^1].Select(Escape)), out var parent))
        {
            return false;
        }

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                return true;
            case JsonArray array when last == "-":
                array.Add(value);
                return true;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= array.Count:
                array.Insert(index, value);
                return true;
            default:
                return false;
        }
    }

    private static bool Remove(ref JsonNode? root, string path, out JsonNode? removed)
    {
        removed = null;
        var tokens = Split(path);
        if (tokens.Length == 0 || !Resolve(root, "/" + string.Join('/', tokens[..^1].Select(Escape)), out var parent))
        {
            return false;
        }

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out var child):
                obj.Remove(last);
                removed = child;
                return true;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                removed = array[index];
                array.RemoveAt(index);
                return true;
            default:
                return false;
        }
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
