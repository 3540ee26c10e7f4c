namespace Watchdog.Signals.Health;

/// <summary>What one probe changes about its endpoint's failing streak.</summary>
internal enum HealthEndpointChange : byte
{
    /// <summary>Still passing, or still failing: nothing to log.</summary>
    None = 0,

    /// <summary>The endpoint failed after passing (or on its first probe).</summary>
    StartedFailing = 1,

    /// <summary>The endpoint passed after failing.</summary>
    Recovered = 2,
}
