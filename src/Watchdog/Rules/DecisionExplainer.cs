using System.Globalization;
using System.Text;

namespace Watchdog.Rules;

/// <summary>
/// Puts a compiled policy's last evaluation into words: each rule with its truth and the values behind it, the path
/// through the tree, and a one-line summary. Reads the evaluation from the state; evaluates nothing itself.
/// </summary>
internal sealed class DecisionExplainer(
    ConditionNode[] nodes,
    int[] children,
    int[] rowNodes,
    Outcome[] rowOutcomes,
    TreeNode[] tree,
    string[] signals)
{
    private readonly ConditionNode[] _nodes = nodes;
    private readonly int[] _children = children;
    private readonly int[] _rowNodes = rowNodes;
    private readonly Outcome[] _rowOutcomes = rowOutcomes;
    private readonly TreeNode[] _tree = tree;
    private readonly string[] _signals = signals;

    public DecisionExplanation Explain(PolicyState state)
    {
        var decision = state.Last;
        var signals = _signals.Select((name, i) => SignalReading.Of(name, state.Values[i])).ToList();
        var rules = new List<RuleTrace>();
        for (var r = 0; r < _rowNodes.Length; r++)
        {
            var truth = state.Result[_rowNodes[r]];
            var suppressed = truth == Truth.True && CompiledPolicy.InCooldown(_rowOutcomes[r], decision.At, state);
            rules.Add(new RuleTrace(_rowOutcomes[r].Id, DecisionSource.Matrix, truth, suppressed, Describe(_rowNodes[r], state)));
        }

        var path = _tree.Length > 0 ? WalkTree(state, rules) : [];
        return new DecisionExplanation(decision, Summarize(decision, state, rules, path), signals, rules, path);
    }

    private List<string> WalkTree(PolicyState state, List<RuleTrace> rules)
    {
        var path = new List<string>();
        var index = 0;
        while (true)
        {
            var node = _tree[index];
            if (node.Outcome is { } outcome)
            {
                var suppressed = CompiledPolicy.InCooldown(outcome, state.Last.At, state);
                rules.Add(new RuleTrace(outcome.Id, DecisionSource.Tree, Truth.True, suppressed, string.Join(" -> ", path)));
                path.Add(suppressed ? $"leaf {outcome.Id} (held back by cooldown)" : $"leaf {outcome.Id}");
                return path;
            }

            var truth = state.Result[node.Condition];
            path.Add($"{Label(node.Condition, state)} is {Word(truth)}");
            if (truth == Truth.Unknown)
            {
                path.Add("inconclusive");
                return path;
            }

            // Not applicable counts as false, as the evaluation takes it.
            index = truth == Truth.True ? node.Then : node.Else;
        }
    }

    private string Summarize(Decision decision, PolicyState state, List<RuleTrace> rules, List<string> path)
    {
        var missing = MissingSignals(state);
        var cooled = decision.SuppressedByCooldown ? "; a rule that held was held back by a cooldown after the last action" : "";
        if (decision.IsInconclusive)
        {
            var unknown = rules.Count(r => r.Source == DecisionSource.Matrix && r.Truth == Truth.Unknown);
            var parts = new List<string>();
            if (unknown > 0)
            {
                parts.Add($"no matrix row held and {unknown} could not be decided");
            }

            if (path.Count > 0 && path[^1] == "inconclusive")
            {
                parts.Add($"the tree could not decide: {path[^2]}");
            }

            return $"inconclusive, no action: {string.Join("; ", parts)}{missing}{cooled}";
        }

        if (decision.RuleId is null)
        {
            return $"none: no rule holds{missing}{cooled}";
        }

        var rule = rules.First(r => r.Id == decision.RuleId);
        var head = decision.Action == DecisionAction.None ? "none" : $"{decision.Action.ToName()} ({decision.Authority.ToName()})";
        var because = rule.Source == DecisionSource.Matrix
            ? $"matrix row {rule.Id}: {rule.Condition}"
            : $"tree leaf {rule.Id} via {string.Join(", ", path.Take(path.Count - 1))}";
        return $"{head} by {because}{cooled}";
    }

    private string MissingSignals(PolicyState state)
    {
        var missing = _signals.Select((name, i) => (name, value: state.Values[i]))
            .Where(s => !s.value.HasNumber && s.value.State != SignalState.NotWatched)
            .Select(s => s.value.State == SignalState.Error ? $"{s.name}: {s.value}" : $"{s.name}: no data")
            .ToList();
        return missing.Count == 0 ? "" : $" ({string.Join("; ", missing)})";
    }

    private string Label(int index, PolicyState state) => _nodes[index].Name ?? Describe(index, state);

    private string Describe(int index, PolicyState state)
    {
        ref readonly var node = ref _nodes[index];
        var text = new StringBuilder();
        switch (node.Kind)
        {
            case ConditionNodeKind.Compare:
                var value = state.Values[node.Signal];
                text.Append(CultureInfo.InvariantCulture, $"{_signals[node.Signal]} {node.Operator.Symbol()} {Number(node.Threshold)} [{value}: {Word(state.Raw[index])}]");
                break;
            case ConditionNodeKind.Any:
            case ConditionNodeKind.All:
                text.Append(node.Kind == ConditionNodeKind.Any ? "any(" : "all(");
                for (var c = node.FirstChild; c < node.FirstChild + node.ChildCount; c++)
                {
                    text.Append(c == node.FirstChild ? "" : ", ").Append(Describe(_children[c], state));
                }

                text.Append(')');
                break;
            case ConditionNodeKind.Not:
                text.Append("not(").Append(Describe(_children[node.FirstChild], state)).Append(')');
                break;
            default:
                text.Append(Describe(_children[node.FirstChild], state));
                break;
        }

        if (node.ForSlot >= 0)
        {
            var forText = DurationText.Format(TimeSpan.FromTicks(node.ForTicks));
            var since = state.HeldSince[index];
            var heldFor = since == PolicyState.NotActive ? "" : DurationText.Format(TimeSpan.FromTicks(state.Last.At.UtcTicks - since));
            text.Append(CultureInfo.InvariantCulture, $" for {forText}")
                .Append(state.Raw[index] != Truth.True ? "" : state.Result[index] == Truth.True ? $" [held {heldFor}]" : $" [pending, held {heldFor}]");
        }

        return node.Name is null ? text.ToString() : $"{node.Name}{{{text}}}";
    }

    private static string Number(double value) => SignalValue.FormatNumber(value);

    private static string Word(Truth truth) => truth switch
    {
        Truth.True => "true",
        Truth.False => "false",
        Truth.NotApplicable => "not applicable",
        _ => "unknown",
    };
}
