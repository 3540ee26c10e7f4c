using System.Text.RegularExpressions;
using Watchdog.Rules;
using YamlDotNet.RepresentationModel;

namespace Watchdog.Configuration;

/// <summary>
/// Turns the node tree of a policy file into a <see cref="PolicyDefinition"/>. Never stops at the first
/// problem: every error is collected with its path and line so an operator fixes them all in one go.
/// </summary>
internal sealed partial class PolicyYamlReader(string file)
{
    private static readonly string[] TopKeys = ["name", "description", "cooldown", "conditions", "matrix", "tree", "approval"];
    private static readonly string[] ApprovalKeys = ["auto_approve_after"];
    private static readonly string[] RowKeys = ["id", "when", "for", "action", "authority", "severity", "cooldown", "description"];
    private static readonly string[] LeafKeys = ["id", "action", "authority", "severity", "cooldown", "description"];
    private static readonly string[] BranchKeys = ["if", "then", "else", "description"];
    private static readonly string[] ConditionKinds = ["expr", "signal", "any", "all", "not", "ref"];
    private static readonly string[] ComparisonKeys = ["expr", "signal", "op", "threshold", "for", "on_no_data", "on_error", "description"];
    private static readonly string[] CompositeKeys = ["any", "all", "not", "ref", "for", "description"];
    private static readonly string[] MissingDataNames = ["inconclusive", "breach", "ok"];

    private readonly List<ConfigError> _errors = [];
    private readonly HashSet<string> _ruleIds = new(StringComparer.Ordinal);
    private readonly List<(string Name, string Path, int Line)> _references = [];
    private TimeSpan _defaultCooldown;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PolicyNamePattern();

    public IReadOnlyList<ConfigError> Errors => _errors;

    public PolicyDefinition? Read(YamlNode? root)
    {
        if (root is not YamlMappingNode mapping)
        {
            Error("", root?.Line(), "a policy file must be a mapping with 'name' and a 'matrix' and/or a 'tree'");
            return null;
        }

        CheckKeys(mapping, "", TopKeys);
        var name = ReadName(mapping);
        var description = mapping.Child("description").Scalar();
        _defaultCooldown = ReadDuration(mapping.Child("cooldown"), "cooldown") ?? TimeSpan.Zero;
        var conditions = ReadNamedConditions(mapping.Child("conditions"));
        var matrix = ReadMatrix(mapping.Child("matrix"));
        var treeNode = mapping.Child("tree");
        var tree = treeNode.IsNull() ? null : ReadTree(treeNode!, "tree");
        if (mapping.Child("matrix").IsNull() && treeNode.IsNull())
        {
            Error("", mapping.Line(), "a policy needs a 'matrix', a 'tree', or both");
        }

        CheckReferences(conditions);
        var approval = ReadApproval(mapping.Child("approval"));
        return _errors.Count == 0 ? new PolicyDefinition(name!, description, conditions, matrix, tree) { Approval = approval } : null;
    }

    private ApprovalPolicy ReadApproval(YamlNode? node)
    {
        if (node.IsNull())
        {
            return new ApprovalPolicy(null);
        }

        if (node is not YamlMappingNode mapping)
        {
            Error("approval", node!.Line(), "must be a mapping, e.g. {auto_approve_after: 30m}");
            return new ApprovalPolicy(null);
        }

        CheckKeys(mapping, "approval", ApprovalKeys);
        return new ApprovalPolicy(ReadDuration(mapping.Child("auto_approve_after"), "approval.auto_approve_after"));
    }

    private string? ReadName(YamlMappingNode mapping)
    {
        var node = mapping.Child("name");
        var name = node.Scalar();
        if (string.IsNullOrWhiteSpace(name))
        {
            Error("name", node?.Line() ?? mapping.Line(), "required: the policy's name, used by targets[].policy");
        }
        else if (!PolicyNamePattern().IsMatch(name))
        {
            Error("name", node!.Line(), $"'{name}' is not a valid name: use lower-case letters, digits, '.', '_' and '-'");
        }

        return name;
    }

    private Dictionary<string, ConditionDefinition> ReadNamedConditions(YamlNode? node)
    {
        var result = new Dictionary<string, ConditionDefinition>(StringComparer.Ordinal);
        if (node.IsNull())
        {
            return result;
        }

        if (node is not YamlMappingNode mapping)
        {
            Error("conditions", node!.Line(), "must be a mapping of condition names to conditions");
            return result;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = keyNode.Scalar() ?? "";
            var path = $"conditions.{key}";
            if (!ConditionExpression.IsName(key))
            {
                Error(path, keyNode.Line(), $"'{key}' is not a valid condition name");
                continue;
            }

            if (ReadCondition(value, path) is { } condition)
            {
                result[key] = condition;
            }
        }

        return result;
    }

    private List<MatrixRow> ReadMatrix(YamlNode? node)
    {
        var rows = new List<MatrixRow>();
        if (node.IsNull())
        {
            return rows;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error("matrix", node!.Line(), "must be a list of rows");
            return rows;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"matrix[{i}]";
            if (sequence.Children[i] is not YamlMappingNode row)
            {
                Error(path, sequence.Children[i].Line(), "a row must be a mapping with 'id', 'when', 'action' and 'authority'");
                continue;
            }

            CheckKeys(row, path, RowKeys);
            var whenNode = row.Child("when");
            ConditionDefinition? when = null;
            if (whenNode.IsNull())
            {
                Error($"{path}.when", row.Line(), "required: the condition under which this row applies");
            }
            else
            {
                when = ReadCondition(whenNode!, $"{path}.when");
            }

            var rowFor = ReadDuration(row.Child("for"), $"{path}.for");
            var outcome = ReadOutcome(row, path);
            if (when is not null && outcome is not null)
            {
                rows.Add(new MatrixRow(WithFor(when, rowFor ?? TimeSpan.Zero), outcome));
            }
        }

        return rows;
    }

    // A row's `for` goes on its own inline condition; a shared named condition or one with its own `for`
    // is wrapped so that its clock is not disturbed.
    private static ConditionDefinition WithFor(ConditionDefinition condition, TimeSpan duration) =>
        duration <= TimeSpan.Zero ? condition
        : condition is not ConditionReference && condition.For <= TimeSpan.Zero ? condition with { For = duration }
        : new AllCondition([condition]) { For = duration };

    private DecisionTreeNode? ReadTree(YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(path, node.Line(), "a tree node must be a mapping: a branch (if/then/else) or a leaf (id/action/authority)");
            return null;
        }

        if (mapping.Child("if") is null)
        {
            CheckKeys(mapping, path, LeafKeys);
            var outcome = ReadOutcome(mapping, path);
            return outcome is null ? null : new DecisionTreeLeaf(outcome);
        }

        CheckKeys(mapping, path, BranchKeys);
        var condition = ReadCondition(mapping.Child("if")!, $"{path}.if");
        var then = ReadBranch(mapping, path, "then");
        var otherwise = ReadBranch(mapping, path, "else");
        return condition is null || then is null || otherwise is null ? null : new DecisionTreeBranch(condition, then, otherwise);
    }

    private DecisionTreeNode? ReadBranch(YamlMappingNode mapping, string path, string key)
    {
        var node = mapping.Child(key);
        if (node.IsNull())
        {
            Error($"{path}.{key}", mapping.Line(), $"required: every branch needs both 'then' and 'else'");
            return null;
        }

        return ReadTree(node!, $"{path}.{key}");
    }

    private Outcome? ReadOutcome(YamlMappingNode mapping, string path)
    {
        var idNode = mapping.Child("id");
        var id = idNode.Scalar();
        var ok = true;
        if (string.IsNullOrWhiteSpace(id))
        {
            Error($"{path}.id", mapping.Line(), "required: a unique id, reported as the rule that decided");
            ok = false;
        }
        else if (!_ruleIds.Add(id))
        {
            Error($"{path}.id", idNode!.Line(), $"duplicate id '{id}': ids of rows and leaves must be unique");
            ok = false;
        }

        var actionNode = mapping.Child("action");
        var actionText = actionNode.Scalar();
        var action = DecisionAction.None;
        if (string.IsNullOrWhiteSpace(actionText))
        {
            Error($"{path}.action", mapping.Line(), $"required: one of {string.Join(", ", DecisionActions.AllNames)}");
            ok = false;
        }
        else if (!DecisionActions.TryParse(actionText, out action))
        {
            Error($"{path}.action", actionNode!.Line(), $"unknown action '{actionText}': use one of {string.Join(", ", DecisionActions.AllNames)}");
            ok = false;
        }

        var authorityNode = mapping.Child("authority");
        var authorityText = authorityNode.Scalar();
        var authority = Authority.Automatic;
        if (string.IsNullOrWhiteSpace(authorityText))
        {
            // Doing nothing needs nobody's say-so; anything else must name who may allow it.
            if (action != DecisionAction.None && ok)
            {
                Error($"{path}.authority", mapping.Line(), $"required for action '{actionText}': one of {string.Join(", ", Authorities.AllNames)}");
                ok = false;
            }
        }
        else if (!Authorities.TryParse(authorityText, out authority))
        {
            Error($"{path}.authority", authorityNode!.Line(), $"unknown authority '{authorityText}': use one of {string.Join(", ", Authorities.AllNames)}");
            ok = false;
        }

        var cooldown = ReadDuration(mapping.Child("cooldown"), $"{path}.cooldown") ?? _defaultCooldown;
        return ok ? new Outcome(id!, action, authority, mapping.Child("severity").Scalar(), cooldown) : null;
    }

    private ConditionDefinition? ReadCondition(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar)
        {
            return ReadConditionText(scalar.Value ?? "", path, scalar.Line());
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(path, node.Line(), "a condition is a string like 'error_rate > 0.05', a condition name, or a mapping with expr/signal/any/all/not/ref");
            return null;
        }

        var kinds = ConditionKinds.Where(k => mapping.Child(k) is not null).ToList();
        if (kinds.Count != 1)
        {
            var found = kinds.Count == 0 ? "none" : string.Join(", ", kinds);
            Error(path, mapping.Line(), $"a condition mapping needs exactly one of expr, signal, any, all, not, ref (found {found})");
            return null;
        }

        var kind = kinds[0];
        CheckKeys(mapping, path, kind is "expr" or "signal" ? ComparisonKeys : CompositeKeys);
        var forDuration = ReadDuration(mapping.Child("for"), $"{path}.for") ?? TimeSpan.Zero;
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
            Error(path, line, error!);
        }

        return comparison;
    }

    private ComparisonCondition? ReadExpr(YamlMappingNode mapping, string path)
    {
        var node = mapping.Child("expr")!;
        var comparison = ConditionExpression.TryParseComparison(node.Scalar() ?? "", out var error);
        if (comparison is null)
        {
            Error($"{path}.expr", node.Line(), error!);
            return null;
        }

        return WithMissingData(comparison, mapping, path);
    }

    private ComparisonCondition? ReadStructuredComparison(YamlMappingNode mapping, string path)
    {
        var signal = mapping.Child("signal").Scalar();
        var opText = mapping.Child("op").Scalar();
        var thresholdText = mapping.Child("threshold").Scalar();
        var ok = true;
        if (string.IsNullOrWhiteSpace(signal))
        {
            Error($"{path}.signal", mapping.Line(), "required: the signal to compare");
            ok = false;
        }

        if (!ComparisonOperators.TryParse(opText ?? "", out var op))
        {
            Error($"{path}.op", mapping.Child("op")?.Line() ?? mapping.Line(), $"'{opText}' is not an operator: use one of > >= < <= == !=");
            ok = false;
        }

        if (!YamlNodes.TryDouble(thresholdText, out var threshold) || double.IsNaN(threshold))
        {
            Error($"{path}.threshold", mapping.Child("threshold")?.Line() ?? mapping.Line(), $"'{thresholdText}' is not a number");
            ok = false;
        }

        return ok ? WithMissingData(new ComparisonCondition(signal!, op, threshold), mapping, path) : null;
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
            Error($"{path}.{key}", node!.Line(), $"'{node.Scalar()}' is not one of {string.Join(", ", MissingDataNames)}");
            return MissingDataPolicy.Inconclusive;
        }

        return (MissingDataPolicy)index;
    }

    private List<ConditionDefinition>? ReadParts(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Error(path, node.Line(), "must be a non-empty list of conditions");
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
            Error(path, node.Line(), "must be the name of a condition in 'conditions'");
            return null;
        }

        return Reference(name, path, node.Line());
    }

    private ConditionReference Reference(string name, string path, int line)
    {
        _references.Add((name, path, line));
        return new ConditionReference(name);
    }

    private void CheckReferences(Dictionary<string, ConditionDefinition> conditions)
    {
        foreach (var (name, path, line) in _references.Where(r => !conditions.ContainsKey(r.Name)))
        {
            var hint = Suggestions.Closest(name, conditions.Keys) is { } near ? $" (did you mean '{near}'?)" : "";
            Error(path, line, $"unknown condition '{name}'{hint}");
        }

        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in conditions.Keys)
        {
            if (FindCycle(name, conditions, state, []) is { } cycle)
            {
                Error($"conditions.{name}", null, $"conditions refer to each other in a cycle: {string.Join(" -> ", cycle)}");
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

    private TimeSpan? ReadDuration(YamlNode? node, string path)
    {
        if (node.IsNull())
        {
            return null;
        }

        if (!DurationText.TryParse(node.Scalar(), out var duration))
        {
            Error(path, node!.Line(), $"'{node.Scalar()}' is not a duration: write it like 30s, 5m, 1h30m or 250ms");
            return null;
        }

        return duration;
    }

    private void CheckKeys(YamlMappingNode mapping, string path, string[] allowed)
    {
        foreach (var (key, at, message) in mapping.UnknownKeys(path, allowed))
        {
            Error(at, key.Line(), message);
        }
    }

    private void Error(string path, int? line, string message) => _errors.Add(new ConfigError(file, line, path, message));
}
