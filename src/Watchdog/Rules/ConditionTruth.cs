namespace Watchdog.Rules;

/// <summary>
/// The truth of one condition node from its signal or its parts, in Watchdog's four values: true, false, unknown
/// (missing data or an error the policy does not decide) and not applicable (a signal the target does not watch);
/// and the <c>for</c> clock on top. Pure, allocation-free: <see cref="CompiledPolicy"/> calls it per node per evaluation.
/// </summary>
internal static class ConditionTruth
{
    public static Truth Compare(in ConditionNode node, SignalValue value) => value.State switch
    {
        SignalState.Number => node.Operator.Holds(value.Number, node.Threshold) ? Truth.True : Truth.False,
        SignalState.Error => FromMissing(node.OnError),
        SignalState.NotWatched => Truth.NotApplicable,
        _ => FromMissing(node.OnNoData),
    };

    public static Truth FromMissing(MissingDataPolicy policy) => policy switch
    {
        MissingDataPolicy.Breach => Truth.True,
        MissingDataPolicy.Ok => Truth.False,
        _ => Truth.Unknown,
    };

    // A part over a signal the target does not watch drops out of an any: the others decide, and only an any of
    // nothing but such parts is not applicable itself.
    public static Truth Any(Truth[] result, int[] children, int first, int count)
    {
        var unknown = false;
        var applicable = false;
        for (var c = first; c < first + count; c++)
        {
            var t = result[children[c]];
            if (t == Truth.True)
            {
                return Truth.True;
            }

            unknown |= t == Truth.Unknown;
            applicable |= t != Truth.NotApplicable;
        }

        return unknown ? Truth.Unknown : applicable ? Truth.False : Truth.NotApplicable;
    }

    // An all with a part over a signal the target does not watch can never hold for it: not applicable, whatever
    // the other parts say, so that it is never unknown either.
    public static Truth All(Truth[] result, int[] children, int first, int count)
    {
        var unknown = false;
        var falsified = false;
        for (var c = first; c < first + count; c++)
        {
            var t = result[children[c]];
            if (t == Truth.NotApplicable)
            {
                return Truth.NotApplicable;
            }

            falsified |= t == Truth.False;
            unknown |= t == Truth.Unknown;
        }

        return falsified ? Truth.False : unknown ? Truth.Unknown : Truth.True;
    }

    // Not applicable stays not applicable: negating a condition the target cannot measure must not make it hold.
    public static Truth Not(Truth t) => t switch
    {
        Truth.True => Truth.False,
        Truth.False => Truth.True,
        _ => t,
    };

    // Prometheus semantics: the first evaluation where the condition held starts the clock; any evaluation
    // where it did not hold (false, or unknown for missing data) stops it, and it holds once held for `for`.
    // The clock is the condition's held-since (PolicyState.HeldSince), already updated for this evaluation.
    public static Truth ApplyFor(Truth raw, long forTicks, long heldSince, long nowTicks) =>
        raw != Truth.True ? raw : nowTicks - heldSince >= forTicks ? Truth.True : Truth.False;
}
