namespace Watchdog.Rules;

/// <summary>How a comparison treats a signal with no data (<c>on_no_data</c>) or a failed source (<c>on_error</c>).</summary>
internal enum MissingDataPolicy : byte
{
    /// <summary>The default: the comparison is unknown, so a decision resting on it is inconclusive.</summary>
    Inconclusive,

    /// <summary>Missing data counts as a breach (e.g. a heartbeat that stopped).</summary>
    Breach,

    /// <summary>Missing data counts as healthy (e.g. a counter that is absent when zero).</summary>
    Ok,
}
