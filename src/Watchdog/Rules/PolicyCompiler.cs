namespace Watchdog.Rules;

/// <summary>
/// Flattens a <see cref="PolicyDefinition"/> into arrays. Expects a definition the parser has validated
/// (every reference known, no cycles) and throws on one it has not: that is a programming error.
/// </summary>
internal static class PolicyCompiler
{
    public static CompiledPolicy Compile(PolicyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var builder = new Builder(definition);
        foreach (var name in definition.Conditions.Keys)
        {
            builder.Named(name);
        }

        var rowNodes = definition.Matrix.Select(row => builder.Add(row.When)).ToArray();
        var rowOutcomes = definition.Matrix.Select(row => row.Outcome).ToArray();
        var tree = new List<TreeNode>();
        if (definition.Tree is { } root)
        {
            builder.AddTree(root, tree);
        }

        return new CompiledPolicy(
            definition,
            [.. builder.Nodes],
            [.. builder.Children],
            rowNodes,
            rowOutcomes,
            [.. tree],
            [.. builder.Signals]);
    }

    private sealed class Builder(PolicyDefinition definition)
    {
        private readonly Dictionary<string, int> _named = new(StringComparer.Ordinal);
        private readonly HashSet<string> _compiling = new(StringComparer.Ordinal);

        public List<ConditionNode> Nodes { get; } = [];

        public List<int> Children { get; } = [];

        public List<string> Signals { get; } = [];

        public int ForSlots { get; private set; }

        public int Named(string name)
        {
            if (_named.TryGetValue(name, out var done))
            {
                return done;
            }

            if (!definition.Conditions.TryGetValue(name, out var condition))
            {
                throw new InvalidOperationException($"Policy '{definition.Name}' refers to unknown condition '{name}'.");
            }

            if (!_compiling.Add(name))
            {
                throw new InvalidOperationException($"Policy '{definition.Name}' has a cycle through condition '{name}'.");
            }

            var index = Add(condition);
            if (Nodes[index].Name is not null)
            {
                index = AddNode(new ConditionNode { Kind = ConditionNodeKind.Pass }, [index], TimeSpan.Zero);
            }

            var node = Nodes[index];
            node.Name = name;
            Nodes[index] = node;
            _named[name] = index;
            _compiling.Remove(name);
            return index;
        }

        public int Add(ConditionDefinition condition) => condition switch
        {
            ComparisonCondition c => AddNode(
                new ConditionNode
                {
                    Kind = ConditionNodeKind.Compare,
                    Signal = SignalIndex(c.Signal),
                    Operator = c.Operator,
                    Threshold = c.Threshold,
                    OnNoData = c.OnNoData,
                    OnError = c.OnError,
                },
                [],
                c.For),
            AnyCondition any => AddNode(new ConditionNode { Kind = ConditionNodeKind.Any }, [.. any.Parts.Select(Add)], any.For),
            AllCondition all => AddNode(new ConditionNode { Kind = ConditionNodeKind.All }, [.. all.Parts.Select(Add)], all.For),
            NotCondition not => AddNode(new ConditionNode { Kind = ConditionNodeKind.Not }, [Add(not.Part)], not.For),
            ConditionReference reference when reference.For <= TimeSpan.Zero => Named(reference.Name),
            ConditionReference reference => AddNode(new ConditionNode { Kind = ConditionNodeKind.Pass }, [Named(reference.Name)], reference.For),
            _ => throw new InvalidOperationException($"Unknown condition kind {condition.GetType().Name}."),
        };

        public int AddTree(DecisionTreeNode node, List<TreeNode> tree)
        {
            var index = tree.Count;
            tree.Add(default);
            if (node is DecisionTreeLeaf leaf)
            {
                tree[index] = new TreeNode(-1, -1, -1, leaf.Outcome);
                return index;
            }

            var branch = (DecisionTreeBranch)node;
            var condition = Add(branch.If);
            var then = AddTree(branch.Then, tree);
            var otherwise = AddTree(branch.Else, tree);
            tree[index] = new TreeNode(condition, then, otherwise, null);
            return index;
        }

        private int AddNode(ConditionNode node, int[] children, TimeSpan forDuration)
        {
            node.FirstChild = Children.Count;
            node.ChildCount = children.Length;
            Children.AddRange(children);
            node.ForTicks = forDuration.Ticks;
            node.ForSlot = forDuration > TimeSpan.Zero ? ForSlots++ : -1;
            Nodes.Add(node);
            return Nodes.Count - 1;
        }

        private int SignalIndex(string signal)
        {
            var index = Signals.IndexOf(signal);
            if (index >= 0)
            {
                return index;
            }

            Signals.Add(signal);
            return Signals.Count - 1;
        }
    }
}
