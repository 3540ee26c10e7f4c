using Watchdog.Rules;
using YamlDotNet.RepresentationModel;

namespace Watchdog.Configuration;

/// <summary>
/// Reads a policy's rules: the decision matrix's rows and the decision tree's branches and leaves, each ending in an
/// outcome (id, action, authority, severity, cooldown); rule ids are unique across both.
/// </summary>
internal sealed class PolicyRuleReader(PolicyReadErrors errors, PolicyConditionReader conditions, TimeSpan defaultCooldown)
{
    private static readonly string[] RowKeys = ["id", "when", "for", "action", "authority", "severity", "cooldown", "description"];
    private static readonly string[] LeafKeys = ["id", "action", "authority", "severity", "cooldown", "description"];
    private static readonly string[] BranchKeys = ["if", "then", "else", "description"];

    private readonly HashSet<string> _ruleIds = new(StringComparer.Ordinal);

    public List<MatrixRow> ReadMatrix(YamlNode? node)
    {
        var rows = new List<MatrixRow>();
        if (node.IsNull())
        {
            return rows;
        }

        if (node is not YamlSequenceNode sequence)
        {
            errors.Add("matrix", node!.Line(), "must be a list of rows");
            return rows;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"matrix[{i}]";
            if (sequence.Children[i] is not YamlMappingNode row)
            {
                errors.Add(path, sequence.Children[i].Line(), "a row must be a mapping with 'id', 'when', 'action' and 'authority'");
                continue;
            }

            errors.CheckKeys(row, path, RowKeys);
            var whenNode = row.Child("when");
            ConditionDefinition? when = null;
            if (whenNode.IsNull())
            {
                errors.Add($"{path}.when", row.Line(), "required: the condition under which this row applies");
            }
            else
            {
                when = conditions.ReadCondition(whenNode!, $"{path}.when");
            }

            var rowFor = errors.ReadDuration(row.Child("for"), $"{path}.for");
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

    public DecisionTreeNode? ReadTree(YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(path, node.Line(), "a tree node must be a mapping: a branch (if/then/else) or a leaf (id/action/authority)");
            return null;
        }

        if (mapping.Child("if") is null)
        {
            errors.CheckKeys(mapping, path, LeafKeys);
            var outcome = ReadOutcome(mapping, path);
            return outcome is null ? null : new DecisionTreeLeaf(outcome);
        }

        errors.CheckKeys(mapping, path, BranchKeys);
        var condition = conditions.ReadCondition(mapping.Child("if")!, $"{path}.if");
        var then = ReadBranch(mapping, path, "then");
        var otherwise = ReadBranch(mapping, path, "else");
        return condition is null || then is null || otherwise is null ? null : new DecisionTreeBranch(condition, then, otherwise);
    }

    private DecisionTreeNode? ReadBranch(YamlMappingNode mapping, string path, string key)
    {
        var node = mapping.Child(key);
        if (node.IsNull())
        {
            errors.Add($"{path}.{key}", mapping.Line(), $"required: every branch needs both 'then' and 'else'");
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
            errors.Add($"{path}.id", mapping.Line(), "required: a unique id, reported as the rule that decided");
            ok = false;
        }
        else if (!_ruleIds.Add(id))
        {
            errors.Add($"{path}.id", idNode!.Line(), $"duplicate id '{id}': ids of rows and leaves must be unique");
            ok = false;
        }

        var actionNode = mapping.Child("action");
        var actionText = actionNode.Scalar();
        var action = DecisionAction.None;
        if (string.IsNullOrWhiteSpace(actionText))
        {
            errors.Add($"{path}.action", mapping.Line(), $"required: one of {string.Join(", ", DecisionActions.AllNames)}");
            ok = false;
        }
        else if (!DecisionActions.TryParse(actionText, out action))
        {
            errors.Add($"{path}.action", actionNode!.Line(), $"unknown action '{actionText}': use one of {string.Join(", ", DecisionActions.AllNames)}{ConfigReader.DidYouMean(actionText, DecisionActions.AllNames)}");
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
                errors.Add($"{path}.authority", mapping.Line(), $"required for action '{actionText}': one of {string.Join(", ", Authorities.AllNames)}");
                ok = false;
            }
        }
        else if (!Authorities.TryParse(authorityText, out authority))
        {
            errors.Add($"{path}.authority", authorityNode!.Line(), $"unknown authority '{authorityText}': use one of {string.Join(", ", Authorities.AllNames)}{ConfigReader.DidYouMean(authorityText, Authorities.AllNames)}");
            ok = false;
        }

        var cooldown = errors.ReadDuration(mapping.Child("cooldown"), $"{path}.cooldown") ?? defaultCooldown;
        return ok ? new Outcome(id!, action, authority, mapping.Child("severity").Scalar(), cooldown) : null;
    }
}
