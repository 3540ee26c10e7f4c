namespace Watchdog.Rules;

/// <summary>A node of a decision tree: a branch on a condition, or a leaf with an outcome.</summary>
internal abstract record DecisionTreeNode;

internal sealed record DecisionTreeBranch(ConditionDefinition If, DecisionTreeNode Then, DecisionTreeNode Else) : DecisionTreeNode;

internal sealed record DecisionTreeLeaf(Outcome Outcome) : DecisionTreeNode;
