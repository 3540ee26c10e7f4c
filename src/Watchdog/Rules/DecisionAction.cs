namespace Watchdog.Rules;

/// <summary>
/// What a policy asks for. The policy says <em>what</em>; the target's plan says <em>how</em>
/// (which deployment to undo, which flag to reduce). Declared in rising severity, but compare with
/// <see cref="DecisionActions.Severity"/>: rollback and stop-writes are equally severe.
/// </summary>
internal enum DecisionAction : byte
{
    None,
    Monitor,
    Investigate,
    Scale,
    ScaleThenRollback,
    Rollback,
    StopWrites,
}
