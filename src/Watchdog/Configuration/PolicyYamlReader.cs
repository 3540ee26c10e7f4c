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
    private readonly List<SignalUse> _signalUses = [];
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
        return _errors.Count == 0 ? new PolicyDefinition(name!, description, conditions, matrix, tree) { Approval = approval, SignalUses = _signalUses } : null;
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
