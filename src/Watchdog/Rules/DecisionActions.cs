namespace Watchdog.Rules;

internal static class DecisionActions
{
    /// <summary>The runbook's ordering: rollback = stop-writes &gt; scale-then-rollback &gt; scale &gt; investigate &gt; monitor &gt; none.</summary>
    public static int Severity(this DecisionAction action) => action switch
    {
        DecisionAction.None => 0,
        DecisionAction.Monitor => 1,
        DecisionAction.Investigate => 2,
        DecisionAction.Scale => 3,
        DecisionAction.ScaleThenRollback => 4,
        DecisionAction.Rollback or DecisionAction.StopWrites => 5,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown action"),
    };

    public static string ToName(this DecisionAction action) => KebabNames<DecisionAction>.Of(action);

    public static bool TryParse(string name, out DecisionAction action) => KebabNames<DecisionAction>.TryParse(name, out action);

    public static IReadOnlyList<string> AllNames => KebabNames<DecisionAction>.All;
}
