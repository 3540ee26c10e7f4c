
namespace Watchdog.Rules;

/// <summary>A policy as written: named conditions, and a decision matrix, a decision tree, or both.</summary>
internal sealed record PolicyDefinition(
    string Name,
    string? Description,
    IReadOnlyDictionary<string, ConditionDefinition> Conditions,
    IReadOnlyList<MatrixRow> Matrix,
    DecisionTreeNode? Tree)
{
    /// <summary>How unanswered approvals end; by default they wait and keep escalating.</summary>
    public ApprovalPolicy Approval { get; init; } = new((TimeSpan?)null);

    /// <summary>Each place a condition reads a signal, in file order; empty for a policy not read from a file.</summary>
    public IReadOnlyList<SignalUse> SignalUses { get; init; } = [];
}
