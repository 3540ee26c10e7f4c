using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Watchdog.Telemetry;

/// <summary>
/// What <c>watchdog_flag_rollout_percent{flag}</c> shows: the flag actions call <see cref="Set"/> with the percentage
/// they set (or read), and the gauge reports the last one per flag. Flags are named in the configuration, so bounded.
/// </summary>
internal sealed class FlagRolloutGauge
{
    private readonly ConcurrentDictionary<string, double> _percent = new(StringComparer.Ordinal);

    public void Set(string flag, double percent) => _percent[flag] = percent;

    internal IEnumerable<Measurement<double>> Observe()
    {
        foreach (var (flag, percent) in _percent)
        {
            yield return new Measurement<double>(percent, new KeyValuePair<string, object?>("flag", flag));
        }
    }
}
