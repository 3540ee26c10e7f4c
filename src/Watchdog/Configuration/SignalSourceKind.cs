namespace Watchdog.Configuration;

internal enum SignalSourceKind
{
    /// <summary>A PromQL query whose single value is the signal.</summary>
    Prometheus,

    /// <summary>Computed from the target's own health endpoints; takes no query.</summary>
    Health,
}
