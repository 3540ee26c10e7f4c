using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Signals;

/// <summary>
/// Reads the current value of one signal for one target: a Prometheus query, an HTTP health probe, and so on.
/// Sources arrive with later issues. Until targets name a source per signal, the first registered reader that
/// says it can read a signal reads it; a signal no reader can read is no data.
/// </summary>
public interface ISignalReader
{
    /// <summary>The name configuration uses for this source, e.g. <c>prometheus</c>.</summary>
    string Name { get; }

    /// <summary>Whether this reader knows how to read <paramref name="signal"/> for <paramref name="target"/>.</summary>
    bool CanRead(TargetOptions target, string signal);

    /// <summary>
    /// Reads the value now. A failed source is <see cref="SignalValue.Error"/> and an empty result
    /// <see cref="SignalValue.NoData"/>: an expected outage is a value, never an exception.
    /// </summary>
    ValueTask<SignalValue> ReadAsync(TargetOptions target, string signal, CancellationToken cancellationToken);
}
