using System.Collections.Concurrent;

namespace Watchdog.Signals.Health;

/// <summary>
/// Which endpoints failed their last probe, so a failure is logged when it starts and when it ends, not every cycle
/// (at a probe a second, a line per failed probe is thousands an hour saying the same thing).
/// </summary>
internal sealed class HealthEndpointStreaks
{
    private readonly ConcurrentDictionary<(string Target, int Endpoint), bool> _failing = new();

    /// <summary>What this probe of the target's endpoint at <paramref name="endpoint"/> (its index) changes: a failure that starts, one that ends, or nothing new.</summary>
    public HealthEndpointChange Record(string target, int endpoint, bool passed)
    {
        var was = _failing.TryGetValue((target, endpoint), out var failing) && failing;
        if (passed)
        {
            // Only a failure that was logged has a recovery to log; a healthy endpoint costs no entry.
            return was && _failing.TryRemove((target, endpoint), out _) ? HealthEndpointChange.Recovered : HealthEndpointChange.None;
        }

        return !was && _failing.TryAdd((target, endpoint), true) ? HealthEndpointChange.StartedFailing : HealthEndpointChange.None;
    }
}
