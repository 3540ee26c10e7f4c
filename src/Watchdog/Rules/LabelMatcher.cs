using System.Text.RegularExpressions;

namespace Watchdog.Rules;

/// <summary>
/// One of a target's <c>alerts.match</c> entries, with Alertmanager's four operators written at the start of the value:
/// <c>checkout</c> or <c>=checkout</c> (equal), <c>!=staging</c>, <c>=~checkout|cart</c>, <c>!~canary-.*</c>. Regular
/// expressions are anchored at both ends, as in Alertmanager and Prometheus, and a label the alert does not carry
/// counts as the empty string, so <c>env: "!=staging"</c> takes alerts without an <c>env</c> label.
/// </summary>
internal sealed class LabelMatcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly string _value;
    private readonly Regex? _regex;
    private readonly bool _negated;

    private LabelMatcher(string label, string value, Regex? regex, bool negated)
    {
        Label = label;
        _value = value;
        _regex = regex;
        _negated = negated;
    }

    public string Label { get; }

    /// <summary>The matcher, or the reason the text is not one (an invalid regular expression).</summary>
    public static (LabelMatcher? Matcher, string? Error) Parse(string label, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (op, value) = text switch
        {
            _ when text.StartsWith("=~", StringComparison.Ordinal) => ("=~", text[2..]),
            _ when text.StartsWith("!~", StringComparison.Ordinal) => ("!~", text[2..]),
            _ when text.StartsWith("!=", StringComparison.Ordinal) => ("!=", text[2..]),
            _ when text.StartsWith('=') => ("=", text[1..]),
            _ => ("=", text),
        };
        if (op is "=" or "!=")
        {
            return (new LabelMatcher(label, value, null, op == "!="), null);
        }

        try
        {
            var regex = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant, RegexTimeout);
            return (new LabelMatcher(label, value, regex, op == "!~"), null);
        }
        catch (ArgumentException ex)
        {
            return (null, $"'{value}' is not a regular expression: {ex.Message}");
        }
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var value = labels.GetValueOrDefault(Label) ?? "";
        bool equal;
        try
        {
            equal = _regex?.IsMatch(value) ?? string.Equals(value, _value, StringComparison.Ordinal);
        }
        catch (RegexMatchTimeoutException)
        {
            // By design: a pathological pattern on a hostile label value ties the alert to no target rather than stall the intake.
            return false;
        }

        return equal != _negated;
    }
}
