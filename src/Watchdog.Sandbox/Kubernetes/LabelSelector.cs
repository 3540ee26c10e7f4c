using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>A parsed label selector string (<c>a=b,c!=d,e in (x,y),!f,g</c>) and the string form of a <c>LabelSelector</c> object.</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> _requirements = [];

    public static LabelSelector Everything { get; } = new();

    public bool Matches(JsonObject? labels) => _requirements.All(r => r(labels));

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in SplitTopLevel(text))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            if (term.Contains(" notin ", StringComparison.Ordinal) || term.Contains(" in ", StringComparison.Ordinal))
            {
                var negate = term.Contains(" notin ", StringComparison.Ordinal);
                var parts = term.Split(negate ? " notin " : " in ", 2);
                var key = parts[0].Trim();
                var values = parts[1].Trim().TrimStart('(').TrimEnd(')').Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
                selector._requirements.Add(l => Value(l, key) is { } v ? values.Contains(v) != negate : negate);
            }
            else if (term.Contains("!=", StringComparison.Ordinal))
            {
                var parts = term.Split("!=", 2);
                selector._requirements.Add(l => Value(l, parts[0].Trim()) != parts[1].Trim());
            }
            else if (term.Contains('=', StringComparison.Ordinal))
            {
                var parts = term.Replace("==", "=", StringComparison.Ordinal).Split('=', 2);
                selector._requirements.Add(l => Value(l, parts[0].Trim()) == parts[1].Trim());
            }
            else if (term.StartsWith('!'))
            {
                selector._requirements.Add(l => Value(l, term[1..]) is null);
            }
            else
            {
                selector._requirements.Add(l => Value(l, term) is not null);
            }
        }

        return selector;
    }

    /// <summary>What <c>metav1.LabelSelectorAsSelector(s).String()</c> gives: requirements sorted by key, joined by commas.</summary>
    public static string Format(JsonObject? selector)
    {
        var terms = new List<(string Key, string Text)>();
        if (selector?["matchLabels"] is JsonObject matchLabels)
        {
            terms.AddRange(matchLabels.Select(p => (p.Key, $"{p.Key}={p.Value}")));
        }

        if (selector?["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var key = expression["key"]?.GetValue<string>() ?? "";
                var values = string.Join(',', (expression["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>()).Order(StringComparer.Ordinal));
                var text = expression["operator"]?.GetValue<string>() switch
                {
                    "In" => $"{key} in ({values})",
                    "NotIn" => $"{key} notin ({values})",
                    "Exists" => key,
                    _ => "!" + key,
                };
                terms.Add((key, text));
            }
        }

        return string.Join(',', terms.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Text));
    }

    private static string? Value(JsonObject? labels, string key) =>
        labels?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}
