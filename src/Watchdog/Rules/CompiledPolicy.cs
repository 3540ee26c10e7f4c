namespace Watchdog.Rules;

/// <summary>
/// A policy ready to evaluate. Pure: the caller passes the signal values and the time; nothing here reads a
/// clock or does I/O. Every condition is evaluated at every tick, children before parents, so each
/// <c>for</c> clock sees every evaluation whichever branch of the tree is taken.
/// </summary>
internal sealed class CompiledPolicy
{
    private readonly ConditionNode[] _nodes;
    private readonly int[] _children;
    private readonly int[] _rowNodes;
    private readonly Outcome[] _rowOutcomes;
    private readonly TreeNode[] _tree;
    private readonly string[] _signals;
    private readonly Dictionary<string, int> _signalIndex;
    private readonly DecisionExplainer _explainer;

    internal CompiledPolicy(
        PolicyDefinition definition,
        ConditionNode[] nodes,
        int[] children,
        int[] rowNodes,
        Outcome[] rowOutcomes,
        TreeNode[] tree,
        string[] signals)
    {
        Definition = definition;
        _nodes = nodes;
        _children = children;
        _rowNodes = rowNodes;
        _rowOutcomes = rowOutcomes;
        _tree = tree;
        _signals = signals;
        _explainer = new DecisionExplainer(nodes, children, rowNodes, rowOutcomes, tree, signals);
        _signalIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < signals.Length; i++)
        {
            _signalIndex[signals[i]] = i;
        }
    }

    public PolicyDefinition Definition { get; }

    public string Name => Definition.Name;

    /// <summary>Every signal the policy reads, in the order <see cref="Evaluate"/> expects their values.</summary>
    public IReadOnlyList<string> Signals => _signals;

    public bool HasMatrix => _rowNodes.Length > 0;

    /// <summary>
    /// The longest <c>for</c> window of any condition (zero when none has one): how long a rule can take to stop
    /// holding after its signal has recovered, which is part of how long a target settles after an action.
    /// </summary>
    public TimeSpan LongestFor => TimeSpan.FromTicks(_nodes.Where(n => n.ForSlot >= 0).Select(n => n.ForTicks).DefaultIfEmpty().Max());

    public bool HasTree => _tree.Length > 0;

    /// <summary>The rule ids of the matrix rows and tree leaves, in policy order.</summary>
    public IEnumerable<string> RuleIds =>
        _rowOutcomes.Select(o => o.Id).Concat(_tree.Where(t => t.Outcome is not null).Select(t => t.Outcome!.Id));

    /// <summary>
    /// Whether rule <paramref name="ruleId"/> (a matrix row or a tree leaf) held at the last evaluation in
    /// <paramref name="state"/>, cooldowns aside: a row's condition, or for a leaf whether the tree's path leads to
    /// it. Not applicable counts as false here, as everywhere; unknown when missing data leaves it open.
    /// </summary>
    public Truth RuleTruth(string ruleId, PolicyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var row = Array.FindIndex(_rowOutcomes, o => string.Equals(o.Id, ruleId, StringComparison.Ordinal));
        if (row >= 0)
        {
            return state.Result[_rowNodes[row]] == Truth.NotApplicable ? Truth.False : state.Result[_rowNodes[row]];
        }

        var leaf = Array.FindIndex(_tree, t => string.Equals(t.Outcome?.Id, ruleId, StringComparison.Ordinal));
        return leaf < 0 ? Truth.False : PathTruth(leaf, state);
    }

    // The tree is walked from the root, so a leaf is reached only if every branch on its path goes its way.
    private Truth PathTruth(int target, PolicyState state)
    {
        var index = 0;
        var unknown = false;
        while (index != target && _tree[index].Outcome is null)
        {
            var node = _tree[index];
            var truth = state.Result[node.Condition];
            // Flattened depth first: the then-subtree sits between Then and Else.
            var towardsThen = target >= node.Then && target < node.Else;
            if (truth == Truth.Unknown)
            {
                unknown = true;
            }
            else if ((truth == Truth.True) != towardsThen)
            {
                return Truth.False;
            }

            index = towardsThen ? node.Then : node.Else;
        }

        return index != target ? Truth.False : unknown ? Truth.Unknown : Truth.True;
    }

    /// <summary>
    /// What is not applicable for a target that watches only the signals <paramref name="isWatched"/> accepts: the
    /// matrix rows by id, and the tree's conditions (by name, or by the signals they read) that count as false for it.
    /// </summary>
    public IReadOnlyList<string> NotApplicableFor(Func<string, bool> isWatched)
    {
        ArgumentNullException.ThrowIfNull(isWatched);

        // Whether a condition is applicable depends only on which signals are watched, never on their values, so
        // one evaluation of "no data" for the watched ones and "not watched" for the others answers it.
        var frame = _signals.Select(s => isWatched(s) ? SignalValue.NoData : SignalValue.NotWatched).ToArray();
        var state = CreateState();
        EvaluateConditions(frame, 0, state);
        var rows = _rowNodes.Select((node, r) => (node, id: _rowOutcomes[r].Id))
            .Where(r => state.Result[r.node] == Truth.NotApplicable)
            .Select(r => r.id);
        var branches = _tree.Where(t => t.Outcome is null && state.Result[t.Condition] == Truth.NotApplicable)
            .Select(t => _nodes[t.Condition].Name is { } name ? $"tree condition {name}" : $"tree condition over {string.Join(", ", SignalsOf(t.Condition).Distinct())}");
        return [.. rows, .. branches.Distinct()];
    }

    private IEnumerable<string> SignalsOf(int index) => _nodes[index].Kind == ConditionNodeKind.Compare
        ? [_signals[_nodes[index].Signal]]
        : Enumerable.Range(_nodes[index].FirstChild, _nodes[index].ChildCount).SelectMany(c => SignalsOf(_children[c]));

    /// <summary>The index of <paramref name="signal"/> in <see cref="Signals"/>, or -1.</summary>
    public int IndexOf(string signal) => _signalIndex.TryGetValue(signal, out var index) ? index : -1;

    /// <summary>A frame of values to fill for <see cref="Evaluate"/>; every signal starts as no data.</summary>
    public SignalValue[] CreateFrame() => new SignalValue[_signals.Length];

    public PolicyState CreateState() => new(this, _nodes.Length, _signals.Length);

    /// <summary>Decides for one target at <paramref name="now"/>. Allocates nothing.</summary>
    /// <param name="signals">One value per entry of <see cref="Signals"/>, in that order.</param>
    public Decision Evaluate(ReadOnlySpan<SignalValue> signals, DateTimeOffset now, PolicyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!ReferenceEquals(state.Policy, this))
        {
            throw new ArgumentException("The state was created by another policy.", nameof(state));
        }

        if (signals.Length != _signals.Length)
        {
            throw new ArgumentException($"Expected {_signals.Length} signal values, got {signals.Length}.", nameof(signals));
        }

        signals.CopyTo(state.Values);
        EvaluateConditions(signals, now.UtcTicks, state);

        var decision = _rowNodes.Length > 0 ? DecideByMatrix(now, state) : default;
        if (_tree.Length > 0)
        {
            var byTree = DecideByTree(now, state);
            decision = _rowNodes.Length > 0 ? DecisionPrecedence.Combine(decision, byTree) : byTree;
        }

        state.Last = decision;
        state.HasEvaluated = true;
        return decision;
    }

    /// <summary>Explains the last evaluation recorded in <paramref name="state"/>. Allocates; call it when words are needed.</summary>
    public DecisionExplanation Explain(PolicyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.HasEvaluated)
        {
            throw new InvalidOperationException("Nothing to explain: the state has not been evaluated yet.");
        }

        return _explainer.Explain(state);
    }

    private void EvaluateConditions(ReadOnlySpan<SignalValue> signals, long nowTicks, PolicyState state)
    {
        var raw = state.Raw;
        var result = state.Result;
        for (var i = 0; i < _nodes.Length; i++)
        {
            ref readonly var node = ref _nodes[i];
            var truth = node.Kind switch
            {
                ConditionNodeKind.Compare => ConditionTruth.Compare(in node, signals[node.Signal]),
                ConditionNodeKind.Any => ConditionTruth.Any(result, _children, node.FirstChild, node.ChildCount),
                ConditionNodeKind.All => ConditionTruth.All(result, _children, node.FirstChild, node.ChildCount),
                ConditionNodeKind.Not => ConditionTruth.Not(result[_children[node.FirstChild]]),
                _ => result[_children[node.FirstChild]],
            };
            raw[i] = truth;
            var heldSince = state.HeldSince[i] = truth != Truth.True ? PolicyState.NotActive
                : state.HeldSince[i] == PolicyState.NotActive ? nowTicks : state.HeldSince[i];
            result[i] = node.ForSlot < 0 ? truth : ConditionTruth.ApplyFor(truth, node.ForTicks, heldSince, nowTicks);
        }
    }

    private Decision DecideByMatrix(DateTimeOffset now, PolicyState state)
    {
        var best = -1;
        var unknown = false;
        var suppressed = false;
        for (var r = 0; r < _rowNodes.Length; r++)
        {
            var truth = state.Result[_rowNodes[r]];
            if (truth == Truth.Unknown)
            {
                unknown = true;
            }
            else if (truth == Truth.True)
            {
                if (InCooldown(_rowOutcomes[r], now, state))
                {
                    suppressed = true;
                }
                else if (best < 0 || DecisionPrecedence.Outranks(_rowOutcomes[r], _rowOutcomes[best]))
                {
                    best = r;
                }
            }
        }

        if (best >= 0)
        {
            return FromOutcome(now, _rowOutcomes[best], DecisionSource.Matrix, suppressed) with
            {
                BreachStartedAt = Ticks(BreachStart(_rowNodes[best], state), now),
            };
        }

        return new Decision(now, DecisionAction.None, Authority.Automatic, unknown, DecisionSource.None, null, null, suppressed);
    }

    private Decision DecideByTree(DateTimeOffset now, PolicyState state)
    {
        var index = 0;
        var breach = long.MaxValue;
        while (true)
        {
            var node = _tree[index];
            if (node.Outcome is { } outcome)
            {
                return InCooldown(outcome, now, state)
                    ? new Decision(now, DecisionAction.None, Authority.Automatic, false, DecisionSource.Tree, null, null, true)
                    : FromOutcome(now, outcome, DecisionSource.Tree, false) with { BreachStartedAt = Ticks(breach, now) };
            }

            switch (state.Result[node.Condition])
            {
                case Truth.True: breach = Math.Min(breach, BreachStart(node.Condition, state)); index = node.Then; break;
                case Truth.False or Truth.NotApplicable: index = node.Else; break;
                default: return Decision.InconclusiveAt(now) with { Source = DecisionSource.Tree };
            }
        }
    }

    // The breach of a condition began when it, or the earliest of its parts that hold now, started holding: for
    // `a for 30s` that is the start of a's window, also when the `for` sits on a part of an any or all.
    private long BreachStart(int index, PolicyState state)
    {
        var start = state.HeldSince[index] == PolicyState.NotActive ? long.MaxValue : state.HeldSince[index];
        ref readonly var node = ref _nodes[index];
        if (node.Kind is ConditionNodeKind.Compare or ConditionNodeKind.Not)
        {
            return start;
        }

        for (var c = node.FirstChild; c < node.FirstChild + node.ChildCount; c++)
        {
            var child = _children[c];
            if (state.Result[child] == Truth.True)
            {
                start = Math.Min(start, BreachStart(child, state));
            }
        }

        return start;
    }

    // A tree leaf reached through else-branches only has no condition that holds: its breach is now.
    private static DateTimeOffset Ticks(long ticks, DateTimeOffset now) =>
        ticks == long.MaxValue ? now : new DateTimeOffset(ticks, TimeSpan.Zero);

    internal static bool InCooldown(Outcome outcome, DateTimeOffset now, PolicyState state) =>
        outcome.Cooldown > TimeSpan.Zero && state.LastActionAt is { } last && now - last < outcome.Cooldown;

    private static Decision FromOutcome(DateTimeOffset now, Outcome outcome, DecisionSource source, bool suppressed) =>
        new(now, outcome.Action, outcome.Authority, false, source, outcome.Id, outcome.Severity, suppressed);
}
