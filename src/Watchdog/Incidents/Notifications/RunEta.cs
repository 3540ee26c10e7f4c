using Watchdog.Records;

namespace Watchdog.Incidents.Notifications;

/// <summary>
/// The ETA a ROLLBACK IN PROGRESS gives: how long this target's earlier runs of the same plan took, start to done,
/// as their median, so one slow run does not move it. Only runs that succeeded: a failed run stopped early and
/// says nothing about how long the whole plan takes. None earlier, no ETA: a guess would be read as a promise.
/// </summary>
internal static class RunEta
{
    public static TimeSpan? Of(ActionRun run, IEnumerable<ActionRun> runs)
    {
        ArgumentNullException.ThrowIfNull(run);
        var durations = runs
            .Where(r => r.Id != run.Id && r.Target == run.Target && r.Action == run.Action && r.Status == ActionRunStatus.Succeeded)
            .Select(r => r.CompletedAt - r.StartedAt)
            .OfType<TimeSpan>()
            .Order()
            .ToList();
        if (durations.Count == 0)
        {
            return null;
        }

        var middle = durations.Count / 2;
        return durations.Count % 2 == 1 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2;
    }
}
