namespace Watchdog.Rules;

/// <summary>What a source had to say about a signal at one evaluation.</summary>
internal enum SignalState : byte
{
    /// <summary>The source answered with no value (empty result, or NaN).</summary>
    NoData = 0,

    /// <summary>The source answered with a number.</summary>
    Number = 1,

    /// <summary>The source failed (unreachable, timed out, rejected the query).</summary>
    Error = 2,

    /// <summary>No source watches this signal for the target: conditions over it are not applicable, not unknown.</summary>
    NotWatched = 3,
}
