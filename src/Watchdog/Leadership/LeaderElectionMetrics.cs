using System.Diagnostics.Metrics;

namespace Watchdog.Leadership;

/// <summary>
/// <c>watchdog_leader</c> (1 on the leader, 0 on a follower; 1 with one replica), <c>watchdog_leader_transitions_total</c>
/// (terms this replica began) and <c>watchdog_fenced_writes_total</c> (writes refused because the term was over), on
/// Watchdog's meter.
/// </summary>
internal sealed class LeaderElectionMetrics
{
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _fenced;

    public LeaderElectionMetrics(IMeterFactory meters, LeaderState leadership)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Telemetry.WatchdogMetrics.MeterName);
        meter.CreateObservableGauge("watchdog.leader", () => leadership.IsLeader ? 1 : 0, description: "1 on the replica that leads (and acts), 0 on a follower.");
        _transitions = meter.CreateCounter<long>("watchdog.leader.transitions", description: "Terms this replica began as the leader.");
        _fenced = meter.CreateCounter<long>("watchdog.fenced_writes", description: "Writes refused because this replica's term as leader was over.");
    }

    public void Transitioned() => _transitions.Add(1);

    public void Fenced() => _fenced.Add(1);
}
