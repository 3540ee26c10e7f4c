namespace Watchdog.Rules;

/// <summary>A node of a decision tree: a branch on a condition, or a leaf with an outcome.</summary>
public abstract record DecisionTreeNode;

public sealed record DecisionTreeBranch(ConditionDefinition If, DecisionTreeNode Then, DecisionTreeNode Else) : DecisionTreeNode;

public sealed record DecisionTreeLeaf(Outcome Outcome) : DecisionTreeNode;
