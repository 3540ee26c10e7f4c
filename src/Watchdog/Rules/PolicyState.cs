namespace Watchdog.Rules;

/// <summary>
/// What one target's evaluations of one policy remember between ticks: since when each condition has held (which starts its <c>for</c> clock),
/// the last action time for cooldowns, and the last evaluation (inputs and truths) for explanations.
/// Not thread-safe: one target is evaluated by one caller at a time.
/// </summary>
internal sealed class PolicyState
{
    internal const long NotActive = long.MinValue;

    internal PolicyState(CompiledPolicy policy, int nodes, int signals)
    {
        Policy = policy;
        HeldSince = new long[nodes];
        Array.Fill(HeldSince, NotActive);
        Raw = new Truth[nodes];
        Result = new Truth[nodes];
        Values = new SignalValue[signals];
    }

    internal CompiledPolicy Policy { get; }

    /// <summary>
    /// Per condition: the first evaluation of its current unbroken stretch of holding (before any <c>for</c>). It is
    /// also the start of a <c>for</c> clock, which runs exactly while the condition holds.
    /// </summary>
    internal long[] HeldSince { get; }

    internal Truth[] Raw { get; }

    internal Truth[] Result { get; }

    internal SignalValue[] Values { get; }

    internal Decision Last { get; set; }

    public bool HasEvaluated { get; internal set; }

    /// <summary>When the last action on this target ran, for rule cooldowns; set by the executor.</summary>
    public DateTimeOffset? LastActionAt { get; private set; }

    public void RecordAction(DateTimeOffset at) => LastActionAt = at;
}
