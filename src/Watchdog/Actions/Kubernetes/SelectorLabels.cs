using System.Text.RegularExpressions;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// Labels written <c>key=value[,key=value]</c>, the equality form of <c>kubectl get -l</c>, in the order given: what
/// <c>service-selector-switch</c> takes as <c>selector</c> and <c>expect</c>, and how it prints a Service's selector.
/// </summary>
internal sealed partial class SelectorLabels
{
    private SelectorLabels(IReadOnlyList<KeyValuePair<string, string>> pairs) => Pairs = pairs;

    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; }

    /// <summary>The labels, or null with every problem found in <paramref name="errors"/> (each prefixed with <paramref name="parameter"/>).</summary>
    public static SelectorLabels? Parse(string parameter, string? text, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"{parameter}: empty; expected key=value[,key=value] (e.g. version=blue)");
            return null;
        }

        var before = errors.Count;
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var term in text.Split(','))
        {
            var parts = term.Trim().Split('=');
            if (parts.Length != 2 || term.Contains("!=", StringComparison.Ordinal))
            {
                errors.Add($"{parameter}: '{term.Trim()}' is not key=value");
                continue;
            }

            var (key, value) = (parts[0].Trim(), parts[1].Trim());
            if (!IsLabelKey(key))
            {
                errors.Add($"{parameter}: '{key}' is not a label key ([prefix/]name, name up to 63 letters, digits, '-', '_', '.')");
            }
            else if (!LabelValue().IsMatch(value))
            {
                errors.Add($"{parameter}: '{value}' is not a label value for {key} (1 to 63 letters, digits, '-', '_', '.', starting and ending alphanumeric)");
            }
            else if (pairs.Any(p => p.Key == key))
            {
                errors.Add($"{parameter}: {key} given twice");
            }
            else
            {
                pairs.Add(new(key, value));
            }
        }

        return errors.Count == before ? new SelectorLabels(pairs) : null;
    }

    public static string Format(IEnumerable<KeyValuePair<string, string>> pairs) => string.Join(',', pairs.Select(p => $"{p.Key}={p.Value}"));

    public override string ToString() => Format(Pairs);

    private static bool IsLabelKey(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash < 0
            ? LabelName().IsMatch(key)
            : slash is > 0 and <= 253 && DnsSubdomain().IsMatch(key[..slash]) && LabelName().IsMatch(key[(slash + 1)..]);
    }

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelName();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
