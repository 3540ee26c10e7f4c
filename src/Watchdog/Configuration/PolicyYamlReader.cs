using System.Text.RegularExpressions;
using Watchdog.Rules;
using YamlDotNet.RepresentationModel;

namespace Watchdog.Configuration;

/// <summary>
/// Turns the node tree of a policy file into a <see cref="PolicyDefinition"/>: its name, description, default
/// cooldown, named conditions and approval here, its conditions by <see cref="PolicyConditionReader"/> and its rules
/// by <see cref="PolicyRuleReader"/>. Never stops at the first problem: every error is collected with its path and
/// line (<see cref="PolicyReadErrors"/>) so an operator fixes them all in one go.
/// </summary>
internal sealed partial class PolicyYamlReader(string file)
{
    private static readonly string[] TopKeys = ["name", "description", "cooldown", "conditions", "matrix", "tree", "approval"];
    private static readonly string[] ApprovalKeys = ["auto_approve_after"];

    private readonly PolicyReadErrors _errors = new(file);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PolicyNamePattern();

    public IReadOnlyList<ConfigError> Errors => _errors.All;

    /// <summary>The file's <c>name</c>, as written, once <see cref="Read"/> ran; null when it has none.</summary>
    public string? Name { get; private set; }

    public PolicyDefinition? Read(YamlNode? root)
    {
        if (root is not YamlMappingNode mapping)
        {
            Error("", root?.Line(), "a policy file must be a mapping with 'name' and a 'matrix' and/or a 'tree'");
            return null;
        }

        _errors.CheckKeys(mapping, "", TopKeys);
        var name = Name = ReadName(mapping);
        var description = mapping.Child("description").Scalar();
        var defaultCooldown = _errors.ReadDuration(mapping.Child("cooldown"), "cooldown") ?? TimeSpan.Zero;
        var conditionReader = new PolicyConditionReader(_errors);
        var conditions = ReadNamedConditions(mapping.Child("conditions"), conditionReader);
        var rules = new PolicyRuleReader(_errors, conditionReader, defaultCooldown);
        var matrix = rules.ReadMatrix(mapping.Child("matrix"));
        var treeNode = mapping.Child("tree");
        var tree = treeNode.IsNull() ? null : rules.ReadTree(treeNode!, "tree");
        if (mapping.Child("matrix").IsNull() && treeNode.IsNull())
        {
            Error("", mapping.Line(), "a policy needs a 'matrix', a 'tree', or both");
        }

        conditionReader.CheckReferences(conditions);
        var approval = ReadApproval(mapping.Child("approval"));
        return _errors.All.Count == 0 ? new PolicyDefinition(name!, description, conditions, matrix, tree) { Approval = approval, SignalUses = conditionReader.SignalUses } : null;
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

        _errors.CheckKeys(mapping, "approval", ApprovalKeys);
        return new ApprovalPolicy(_errors.ReadDuration(mapping.Child("auto_approve_after"), "approval.auto_approve_after"));
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

    private Dictionary<string, ConditionDefinition> ReadNamedConditions(YamlNode? node, PolicyConditionReader reader)
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

            if (reader.ReadCondition(value, path) is { } condition)
            {
                result[key] = condition;
            }
        }

        return result;
    }

    private void Error(string path, int? line, string message) => _errors.Add(path, line, message);
}
