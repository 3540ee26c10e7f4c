namespace Watchdog.Rules;

/// <summary>A policy as written: named conditions, and a decision matrix, a decision tree, or both.</summary>
public sealed record PolicyDefinition(
    string Name,
    string? Description,
    IReadOnlyDictionary<string, ConditionDefinition> Conditions,
    IReadOnlyList<MatrixRow> Matrix,
    DecisionTreeNode? Tree);
