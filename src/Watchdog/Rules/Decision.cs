namespace Watchdog.Rules;

/// <summary>
/// The rules engine's answer for one target at one time. A value type holding only references the compiled
/// policy already owns, so evaluating allocates nothing; the words come from <see cref="CompiledPolicy.Explain"/>.
/// </summary>
/// <param name="IsInconclusive">No rule held and at least one could not be decided for missing data: no action.</param>
/// <param name="RuleId">The row or leaf that decided, or null when nothing held.</param>
/// <param name="SuppressedByCooldown">A rule held but a cooldown after the last action held it back.</param>
/// <param name="BreachStartedAt">
/// When the breach began: the first evaluation of the unbroken stretch in which the deciding rule's condition
/// held, i.e. the start of its <c>for</c> window (for a compound condition, the earliest such start among the
/// parts that hold). Null when no rule decided.
/// </param>
internal readonly record struct Decision(
    DateTimeOffset At,
    DecisionAction Action,
    Authority Authority,
    bool IsInconclusive,
    DecisionSource Source,
    string? RuleId,
    string? Severity,
    bool SuppressedByCooldown,
    DateTimeOffset? BreachStartedAt = null)
{
    public static Decision NoneAt(DateTimeOffset at) => new(at, DecisionAction.None, Authority.Automatic, false, DecisionSource.None, null, null, false);

    public static Decision InconclusiveAt(DateTimeOffset at) => new(at, DecisionAction.None, Authority.Automatic, true, DecisionSource.None, null, null, false);

    /// <summary>
    /// Whether two decisions say the same thing, whenever they were made: what is logged and recorded is a
    /// change of what was decided, not each tick's new time.
    /// </summary>
    public bool SaysTheSameAs(Decision other) =>
        Action == other.Action && Authority == other.Authority && IsInconclusive == other.IsInconclusive
        && string.Equals(RuleId, other.RuleId, StringComparison.Ordinal) && SuppressedByCooldown == other.SuppressedByCooldown;

    public override string ToString()
    {
        if (IsInconclusive)
        {
            return "none (inconclusive)";
        }

        var rule = RuleId is null ? string.Empty : $" by {RuleId}";
        return Action == DecisionAction.None ? $"none{rule}" : $"{Action.ToName()} ({Authority.ToName()}){rule}";
    }
}
