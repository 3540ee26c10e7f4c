using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Watchdog.Configuration;

/// <summary>
/// A plan step's parameters: every key but <c>action</c>, as text. A key may hold one level of <c>key: value</c>
/// pairs, flattened to <c>parent.child</c> (<c>data: {CIRCUIT_BREAKER_ENABLED: "true"}</c> becomes
/// <c>data.CIRCUIT_BREAKER_ENABLED</c>), so the action's parameters stay a flat map of strings.
/// </summary>
internal static class PlanStepParameters
{
    public static Dictionary<string, string> Read(ConfigReader reader, IConfigurationSection step)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in step.GetChildren())
        {
            if (string.Equals(entry.Key, "action", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var children = entry.GetChildren().ToList();
            if (children.Count == 0)
            {
                Add(reader, parameters, entry.Key, reader.Scalar(entry) ?? "", entry.Path);
                continue;
            }

            if (children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                reader.Error(entry.Path, "expected a single value or a mapping of key: value pairs, not a list");
                continue;
            }

            foreach (var child in children)
            {
                if (child.GetChildren().Any())
                {
                    reader.Error(child.Path, "nested too deeply: a step parameter holds a single value or one level of key: value pairs");
                    continue;
                }

                // The child's key is kept exactly as written: what it names (a ConfigMap key) is case-sensitive.
                // Configuration keeps a key's spelling (only its lookups ignore case); the value is kept whole too.
                Add(reader, parameters, $"{entry.Key}.{child.Key}", child.Value ?? "", child.Path);
            }
        }

        return parameters;
    }

    // `data.KEY: x` written flat next to `data: {KEY: y}` would otherwise let the later one win unseen.
    private static void Add(ConfigReader reader, Dictionary<string, string> parameters, string name, string value, string path)
    {
        if (!parameters.TryAdd(name, value))
        {
            reader.Error(path, $"'{name}' is set twice in this step");
        }
    }
}
