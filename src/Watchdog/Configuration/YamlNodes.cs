using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Watchdog.Configuration;

/// <summary>Small helpers over YamlDotNet's node model: typed reads that report where a value is.</summary>
internal static class YamlNodes
{
    public static int Line(this YamlNode node) => checked((int)node.Start.Line);

    public static string? Scalar(this YamlNode? node) => node is YamlScalarNode scalar ? scalar.Value : null;

    public static YamlNode? Child(this YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static bool IsNull(this YamlNode? node) =>
        node is null || (node is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is null or "" or "~" or "null");

    /// <summary>Every key of <paramref name="mapping"/> not in <paramref name="allowed"/>, with a "did you mean" where one is close.</summary>
    public static IEnumerable<(YamlNode Key, string Path, string Message)> UnknownKeys(this YamlMappingNode mapping, string path, IReadOnlyCollection<string> allowed)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = key.Scalar() ?? "";
            if (!allowed.Contains(name))
            {
                // As the config's keys read (ConfigReader.CheckKeys): the near one, else every one allowed here.
                var hint = Suggestions.Closest(name, allowed) is { } near ? $" (did you mean '{near}'?)" : $" (expected one of: {string.Join(", ", allowed)})";
                yield return (key, path.Length == 0 ? name : $"{path}.{name}", $"unknown key{hint}");
            }
        }
    }

    public static bool TryDouble(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
        || TryInfinity(text, out value);

    // Prometheus spells infinities +Inf/-Inf; YAML spells them .inf/-.inf.
    private static bool TryInfinity(string? text, out double value)
    {
        value = text?.Trim().ToUpperInvariant() switch
        {
            "+INF" or "INF" or ".INF" or "+.INF" => double.PositiveInfinity,
            "-INF" or "-.INF" => double.NegativeInfinity,
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }
}
