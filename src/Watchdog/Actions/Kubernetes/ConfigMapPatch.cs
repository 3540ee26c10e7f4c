using System.Text.Json.Nodes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// What a <c>configmap-patch</c> step asks for: keys to set (<c>data.KEY: value</c>) and keys to remove, and the
/// merge patch that does it under a resourceVersion precondition.
/// </summary>
internal sealed record ConfigMapPatch(IReadOnlyDictionary<string, string> Set, IReadOnlyList<string> Remove)
{
    public const string DataPrefix = "data.";

    /// <summary>Values longer than this are shortened in Before/After: a ConfigMap value may be a whole file.</summary>
    public const int ShownValueLength = 80;

    public static ConfigMapPatch From(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var set = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            if (key.StartsWith(DataPrefix, StringComparison.Ordinal))
            {
                set[key[DataPrefix.Length..]] = value;
            }
        }

        return new ConfigMapPatch(set, RemovedKeys(parameters.GetValueOrDefault("remove")));
    }

    /// <summary>The keys of a <c>remove</c> parameter: comma-separated, spaces around them ignored.</summary>
    public static IReadOnlyList<string> RemovedKeys(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The keys this patch would change in <paramref name="data"/>, with their old and new values (null: absent).</summary>
    public IReadOnlyList<(string Key, string? Old, string? New)> ChangesTo(IReadOnlyDictionary<string, string>? data)
    {
        var changes = new List<(string, string?, string?)>();
        foreach (var (key, value) in Set)
        {
            var old = data?.GetValueOrDefault(key);
            if (old != value)
            {
                changes.Add((key, old, value));
            }
        }

        foreach (var key in Remove)
        {
            if (data?.GetValueOrDefault(key) is { } old)
            {
                changes.Add((key, old, null));
            }
        }

        return changes;
    }

    /// <summary>
    /// A JSON merge patch of <c>data</c> (null deletes a key) that also sets <c>metadata.resourceVersion</c> to the one
    /// read: the server refuses it with 409 if the ConfigMap changed since.
    /// </summary>
    public string Body(string? resourceVersion)
    {
        var data = new JsonObject();
        foreach (var (key, value) in Set)
        {
            data[key] = value;
        }

        foreach (var key in Remove)
        {
            data[key] = null;
        }

        var body = new JsonObject();
        if (resourceVersion is not null)
        {
            body["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        }

        body["data"] = data;
        return body.ToJsonString();
    }

    /// <summary><c>KEY="value"</c> pairs for Before/After, each value capped; an absent key is <c>KEY=(absent)</c>.</summary>
    public static string Describe(string display, IEnumerable<(string Key, string? Value)> values) =>
        $"{display} " + string.Join(", ", values.Select(v => v.Value is null ? $"{v.Key}=(absent)" : $"{v.Key}=\"{Shorten(v.Value)}\""));

    private static string Shorten(string value) =>
        value.Length <= ShownValueLength ? value : value[..(ShownValueLength - 3)] + "...";
}
