using System.Text.RegularExpressions;
using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>The one-line condition syntax: <c>signal op number</c>, or a bare name referring to a named condition.</summary>
internal static partial class ConditionExpression
{
    [GeneratedRegex(@"^\s*(?<signal>[A-Za-z_][A-Za-z0-9_:.\-]*)\s*(?<op>>=|<=|==|!=|>|<)\s*(?<number>\S+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ComparisonPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static bool IsName(string text) => NamePattern().IsMatch(text);

    /// <summary>Parses <c>error_rate &gt; 0.05</c>; returns null and a reason when the text is not of that form.</summary>
    public static ComparisonCondition? TryParseComparison(string text, out string? error)
    {
        var match = ComparisonPattern().Match(text);
        if (!match.Success)
        {
            error = $"cannot read '{text}': expected '<signal> <op> <number>' with op one of > >= < <= == !=, or the name of a condition";
            return null;
        }

        if (!YamlNodes.TryDouble(match.Groups["number"].Value, out var threshold) || double.IsNaN(threshold))
        {
            error = $"'{match.Groups["number"].Value}' in '{text}' is not a number";
            return null;
        }

        // The pattern admits only the six operators, so this cannot fail.
        _ = ComparisonOperators.TryParse(match.Groups["op"].Value, out var op);
        error = null;
        return new ComparisonCondition(match.Groups["signal"].Value, op, threshold);
    }
}
