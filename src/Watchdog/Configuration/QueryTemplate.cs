using System.Text.RegularExpressions;

namespace Watchdog.Configuration;

/// <summary>The <c>{{name}}</c> placeholders of a signal query, filled from a target's variables.</summary>
public static partial class QueryTemplate
{
    /// <summary>Defined for every target: its name.</summary>
    public const string TargetVariable = "target";

    /// <summary>The distinct variable names <paramref name="query"/> uses, in order of first use.</summary>
    public static IReadOnlyList<string> VariablesIn(string query) =>
        [.. Placeholder().Matches(query).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
