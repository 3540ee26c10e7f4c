namespace Watchdog.Signals.Health;

/// <summary>What one probe of one endpoint says about the service behind it.</summary>
internal enum HealthProbeVerdict : byte
{
    /// <summary>The endpoint answered as expected.</summary>
    Passed = 0,

    /// <summary>The service is failing: no answer in time, refused, a wrong status or body.</summary>
    Failed = 1,

    /// <summary>
    /// Watchdog could not judge the service (its name does not resolve, the URL cannot be sent, the probe was
    /// cancelled, the answer is beyond Watchdog's limits): no data about the service, never a failure of it.
    /// </summary>
    Unjudged = 2,
}
