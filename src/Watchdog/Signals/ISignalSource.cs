using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Signals;

/// <summary>
/// Where signal values come from (Prometheus, health probes, Alertmanager alerts), found by <see cref="Name"/>.
/// The watch loop hands a source every (target, signal) it provides that is due in a cycle, in one batch, so
/// a source can answer many targets with one query.
/// </summary>
internal interface ISignalSource
{
    /// <summary>The source's name, e.g. <c>prometheus</c>, <c>health</c>, <c>alertmanager</c>.</summary>
    string Name { get; }

    /// <summary>Whether this source measures <paramref name="signal"/> for <paramref name="target"/> (from the configuration).</summary>
    bool Provides(TargetOptions target, string signal);

    /// <summary>
    /// One value per request, in the same order. An outage, an empty result or a bad answer is a value
    /// (<see cref="SignalValue.Error"/>, <see cref="SignalValue.NoData"/>), never an exception; the caller
    /// also bounds the call with <paramref name="cancellationToken"/> (the cycle's deadline).
    /// </summary>
    Task<IReadOnlyList<SignalValue>> ReadAsync(IReadOnlyList<SignalRequest> requests, CancellationToken cancellationToken);
}
