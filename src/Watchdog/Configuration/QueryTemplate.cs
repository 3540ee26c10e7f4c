using System.Text.RegularExpressions;

namespace Watchdog.Configuration;

/// <summary>The <c>{{name}}</c> placeholders of a signal query, filled from a target's variables.</summary>
internal static partial class QueryTemplate
{
    /// <summary>Defined for every target: its name.</summary>
    public const string TargetVariable = "target";

    /// <summary>The distinct variable names <paramref name="query"/> uses, in order of first use.</summary>
    public static IReadOnlyList<string> VariablesIn(string query) =>
        [.. Placeholder().Matches(query).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// <paramref name="query"/> with each placeholder replaced by the target's variable (<c>{{target}}</c> by its
    /// name), or the first variable the target does not define. Values are escaped for a PromQL string literal,
    /// so that a quote or backslash in a value cannot end the literal and change the query.
    /// </summary>
    public static RenderedQuery Render(string query, TargetOptions target)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(target);
        string? missing = null;
        var rendered = Placeholder().Replace(query, match =>
        {
            var name = match.Groups["name"].Value;
            if (ValueOf(target, name) is { } value)
            {
                return EscapeForStringLiteral(value);
            }

            missing ??= name;
            return match.Value;
        });
        return missing is null ? new RenderedQuery(rendered, null) : new RenderedQuery(null, missing);
    }

    /// <summary>The value of variable <paramref name="name"/> for <paramref name="target"/>; <c>target</c> is always its name.</summary>
    public static string? ValueOf(TargetOptions target, string name)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (name == TargetVariable)
        {
            return target.Name;
        }

        return target.Variables.TryGetValue(name, out var value) ? value : null;
    }

    // string.Replace returns the same instance when there is nothing to replace, so the common case allocates nothing.
    private static string EscapeForStringLiteral(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
