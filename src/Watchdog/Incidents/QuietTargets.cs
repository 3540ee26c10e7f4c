using System.Collections.Concurrent;

namespace Watchdog.Incidents;

/// <summary>
/// Targets known to have no open incident, and of those, the ones known never to have acted: for them the watch cycle
/// asks the store nothing (two queries per target per cycle, the bulk of watching's cost before). Sound because only
/// the leader opens incidents (and a new term forgets it all, <see cref="Forget"/>) (<see cref="IncidentManager"/>, which calls <see cref="Disturb"/> first), a run is only
/// planned for an open incident, and a run that waits for approval keeps its target from counting as never acted
/// (an approval may start it without a new decision). A target is marked again only after the store said so.
/// </summary>
internal sealed class QuietTargets
{
    private readonly ConcurrentDictionary<string, Mark> _quiet = new(StringComparer.Ordinal);

    /// <summary>True when the store last said the target has no open incident and none was opened since.</summary>
    public bool HasNoOpenIncident(string target) => _quiet.ContainsKey(target);

    /// <summary>True when, besides, the store said the target never acted and no run of it waited.</summary>
    public bool NeverActed(string target) => _quiet.TryGetValue(target, out var mark) && mark.NeverActed;

    /// <summary>The store found no open incident for the target.</summary>
    public void MarkNoOpenIncident(string target) => _quiet.TryAdd(target, new Mark());

    /// <summary>
    /// The store found no action and no run waiting for the target; kept only while it has no open incident, so a new
    /// incident (and with it any new run) starts the question afresh.
    /// </summary>
    public void MarkNeverActed(string target)
    {
        if (_quiet.TryGetValue(target, out var mark))
        {
            mark.NeverActed = true;
        }
    }

    /// <summary>Another replica may have opened incidents (a new term as the leader begins): ask the store again about every target.</summary>
    public void Forget() => _quiet.Clear();

    /// <summary>An incident is being opened for the target: ask the store again from now on.</summary>
    public void Disturb(string target) => _quiet.TryRemove(target, out _);

    private sealed class Mark
    {
        public volatile bool NeverActed;
    }
}
