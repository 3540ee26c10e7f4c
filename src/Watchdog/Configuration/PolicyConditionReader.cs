using Watchdog.Rules;
using YamlDotNet.RepresentationModel;

namespace Watchdog.Configuration;

/// <summary>
/// Reads a policy's conditions: expressions, structured comparisons, any/all/not and references, noting every
/// signal a comparison uses and checking, at the end, references and their cycles.
/// </summary>
internal sealed class PolicyConditionReader(PolicyReadErrors errors)
{
    private static readonly string[] ConditionKinds = ["expr", "signal", "any", "all", "not", "ref"];
    private static readonly string[] ComparisonKeys = ["expr", "signal", "op", "threshold", "for", "on_no_data", "on_error", "description"];
    private static readonly string[] CompositeKeys = ["any", "all", "not", "ref", "for", "description"];
    private static readonly string[] MissingDataNames = ["inconclusive", "breach", "ok"];

    private readonly List<(string Name, string Path, int Line)> _references = [];
    private readonly List<SignalUse> _signalUses = [];

    /// <summary>Every signal a comparison read so far uses, with where.</summary>
    public List<SignalUse> SignalUses => _signalUses;

    /// <summary>A condition in any of its forms; null when it has errors (added to the file's errors).</summary>
    public ConditionDefinition? ReadCondition(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar)
        {
            return ReadConditionText(scalar.Value ?? "", path, scalar.Line());
        }

        if (node is not YamlMappingNode mapping)
        {
            errors.Add(path, node.Line(), "a condition is a string like 'error_rate > 0.05', a condition name, or a mapping with expr/signal/any/all/not/ref");
            return null;
        }

        var kinds = ConditionKinds.Where(k => mapping.Child(k) is not null).ToList();
        if (kinds.Count != 1)
        {
            var found = kinds.Count == 0 ? "none" : string.Join(", ", kinds);
            errors.Add(path, mapping.Line(), $"a condition mapping needs exactly one of expr, signal, any, all, not, ref (found {found})");
            return null;
        }

        var kind = kinds[0];
        errors.CheckKeys(mapping, path, kind is "expr" or "signal" ? ComparisonKeys : CompositeKeys);
        var forDuration = errors.ReadDuration(mapping.Child("for"), $"{path}.for") ?? TimeSpan.Zero;
        ConditionDefinition? condition = kind switch
        {
            "expr" => ReadExpr(mapping, path),
            "signal" => ReadStructuredComparison(mapping, path),
            "any" => ReadParts(mapping.Child("any")!, $"{path}.any") is { } any ? new AnyCondition(any) : null,
            "all" => ReadParts(mapping.Child("all")!, $"{path}.all") is { } all ? new AllCondition(all) : null,
            "not" => ReadCondition(mapping.Child("not")!, $"{path}.not") is { } part ? new NotCondition(part) : null,
            _ => ReadReference(mapping.Child("ref")!, $"{path}.ref"),
        };
        return condition is null ? null : condition with { For = forDuration };
    }

    private ConditionDefinition? ReadConditionText(string text, string path, int line)
    {
        if (ConditionExpression.IsName(text.Trim()))
        {
            return Reference(text.Trim(), path, line);
        }

        var comparison = ConditionExpression.TryParseComparison(text, out var error);
        if (comparison is null)
        {
            errors.Add(path, line, error!);
            return null;
        }

        return Uses(comparison, path, line);
    }

    private ComparisonCondition? ReadExpr(YamlMappingNode mapping, string path)
    {
        var node = mapping.Child("expr")!;
        var comparison = ConditionExpression.TryParseComparison(node.Scalar() ?? "", out var error);
        if (comparison is null)
        {
            errors.Add($"{path}.expr", node.Line(), error!);
            return null;
        }

        return WithMissingData(Uses(comparison, $"{path}.expr", node.Line()), mapping, path);
    }

    private ComparisonCondition? ReadStructuredComparison(YamlMappingNode mapping, string path)
    {
        var signal = mapping.Child("signal").Scalar();
        var opText = mapping.Child("op").Scalar();
        var thresholdText = mapping.Child("threshold").Scalar();
        var ok = true;
        if (string.IsNullOrWhiteSpace(signal))
        {
            errors.Add($"{path}.signal", mapping.Line(), "required: the signal to compare");
            ok = false;
        }

        if (!ComparisonOperators.TryParse(opText ?? "", out var op))
        {
            errors.Add($"{path}.op", mapping.Child("op")?.Line() ?? mapping.Line(), $"'{opText}' is not an operator: use one of > >= < <= == !=");
            ok = false;
        }

        if (!YamlNodes.TryDouble(thresholdText, out var threshold) || double.IsNaN(threshold))
        {
            errors.Add($"{path}.threshold", mapping.Child("threshold")?.Line() ?? mapping.Line(), $"'{thresholdText}' is not a number");
            ok = false;
        }

        return ok ? WithMissingData(Uses(new ComparisonCondition(signal!, op, threshold), $"{path}.signal", mapping.Child("signal")!.Line()), mapping, path) : null;
    }

    private ComparisonCondition Uses(ComparisonCondition comparison, string path, int line)
    {
        _signalUses.Add(new SignalUse(comparison.Signal, errors.File, line, path));
        return comparison;
    }

    private ComparisonCondition WithMissingData(ComparisonCondition comparison, YamlMappingNode mapping, string path) =>
        comparison with
        {
            OnNoData = ReadMissingData(mapping, path, "on_no_data"),
            OnError = ReadMissingData(mapping, path, "on_error"),
        };

    private MissingDataPolicy ReadMissingData(YamlMappingNode mapping, string path, string key)
    {
        var node = mapping.Child(key);
        if (node.IsNull())
        {
            return MissingDataPolicy.Inconclusive;
        }

        var index = Array.IndexOf(MissingDataNames, node.Scalar());
        if (index < 0)
        {
            errors.Add($"{path}.{key}", node!.Line(), $"'{node.Scalar()}' is not one of {string.Join(", ", MissingDataNames)}");
            return MissingDataPolicy.Inconclusive;
        }

        return (MissingDataPolicy)index;
    }

    private List<ConditionDefinition>? ReadParts(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            errors.Add(path, node.Line(), "must be a non-empty list of conditions");
            return null;
        }

        var parts = new List<ConditionDefinition>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var part = ReadCondition(sequence.Children[i], $"{path}[{i}]");
            ok &= part is not null;
            if (part is not null)
            {
                parts.Add(part);
            }
        }

        return ok ? parts : null;
    }

    private ConditionReference? ReadReference(YamlNode node, string path)
    {
        var name = node.Scalar();
        if (string.IsNullOrWhiteSpace(name) || !ConditionExpression.IsName(name))
        {
            errors.Add(path, node.Line(), "must be the name of a condition in 'conditions'");
            return null;
        }

        return Reference(name, path, node.Line());
    }

    private ConditionReference Reference(string name, string path, int line)
    {
        _references.Add((name, path, line));
        return new ConditionReference(name);
    }

    /// <summary>Once every condition is read: each reference names a condition, and no references form a cycle.</summary>
    public void CheckReferences(Dictionary<string, ConditionDefinition> conditions)
    {
        foreach (var (name, path, line) in _references.Where(r => !conditions.ContainsKey(r.Name)))
        {
            var hint = Suggestions.Closest(name, conditions.Keys) is { } near ? $" (did you mean '{near}'?)" : "";
            errors.Add(path, line, $"unknown condition '{name}'{hint}");
        }

        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in conditions.Keys)
        {
            if (FindCycle(name, conditions, state, []) is { } cycle)
            {
                errors.Add($"conditions.{name}", null, $"conditions refer to each other in a cycle: {string.Join(" -> ", cycle)}");
                return;
            }
        }
    }

    // Depth-first search over references; `state` is false while a name is on the stack, true when done.
    private static List<string>? FindCycle(string name, Dictionary<string, ConditionDefinition> conditions, Dictionary<string, bool> state, List<string> stack)
    {
        if (state.TryGetValue(name, out var done))
        {
            return done ? null : [.. stack.SkipWhile(n => n != name), name];
        }

        if (!conditions.TryGetValue(name, out var condition))
        {
            return null;
        }

        state[name] = false;
        stack.Add(name);
        foreach (var reference in ReferencesOf(condition))
        {
            if (FindCycle(reference, conditions, state, stack) is { } cycle)
            {
                return cycle;
            }
        }

        stack.RemoveAt(stack.Count - 1);
        state[name] = true;
        return null;
    }

    private static IEnumerable<string> ReferencesOf(ConditionDefinition condition) => condition switch
    {
        ConditionReference r => [r.Name],
        AnyCondition any => any.Parts.SelectMany(ReferencesOf),
        AllCondition all => all.Parts.SelectMany(ReferencesOf),
        NotCondition not => ReferencesOf(not.Part),
        _ => [],
    };
}
