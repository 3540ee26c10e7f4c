using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Watchdog.Telemetry;

/// <summary>
/// What <c>watchdog_flag_rollout_percent{flag}</c> shows: the flag actions call <see cref="Set"/> with the percentage
/// they set (or read), and the gauge reports the last one per flag. Flags are named in the configuration, so bounded.
/// </summary>
internal sealed class FlagRolloutGauge
{
    // Measurements made when a percentage changes, not at every scrape (see WatchdogMetrics).
    private readonly ConcurrentDictionary<string, Measurement<double>> _percent = new(StringComparer.Ordinal);

    public void Set(string flag, double percent)
    {
        if (!_percent.TryGetValue(flag, out var shown) || !shown.Value.Equals(percent))
        {
            _percent[flag] = new Measurement<double>(percent, new KeyValuePair<string, object?>("flag", flag));
        }
    }

    internal IEnumerable<Measurement<double>> Observe()
    {
        foreach (var (_, measurement) in _percent)
        {
            yield return measurement;
        }
    }
}
