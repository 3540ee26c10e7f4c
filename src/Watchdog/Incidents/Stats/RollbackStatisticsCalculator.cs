using Watchdog.Actions;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents.Stats;

/// <summary>Computes <see cref="RollbackStatistics"/> over the incidents detected and the runs created in a window ending now.</summary>
internal sealed class RollbackStatisticsCalculator(IWatchdogStore store, TimeProvider timeProvider)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public async Task<RollbackStatistics> ComputeAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var to = timeProvider.GetUtcNow();

        // "100y" is a fair way to say "all of it"; it must not run off the start of the calendar.
        var from = window >= to - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : to - window;
        var incidents = await store.ListIncidentsAsync(new IncidentQuery(Since: from, Limit: int.MaxValue), cancellationToken);
        var runs = await store.ListRunsAsync(new RunQuery(Since: from, Limit: int.MaxValue), cancellationToken);

        var rollbackTimes = await RollbackTimesAsync(runs, incidents, cancellationToken);
        var refused = await RefusedAsync(runs, cancellationToken);
        var succeeded = runs.Count(r => r.Status == ActionRunStatus.Succeeded && !refused.Contains(r.Id));
        var ended = runs.Count(r => (r.Status is ActionRunStatus.Succeeded or ActionRunStatus.Failed or ActionRunStatus.Interrupted) && !refused.Contains(r.Id));
        var executed = runs.Where(r => r.Status is ActionRunStatus.Running or ActionRunStatus.Succeeded or ActionRunStatus.Failed or ActionRunStatus.Interrupted).ToList();

        return new RollbackStatistics(
            from,
            to,
            incidents.Count,
            incidents.Count(i => i.Status == IncidentStatus.Open),
            rollbackTimes.Count == 0 ? null : TimeSpan.FromTicks((long)rollbackTimes.Average(t => t.Ticks)),
            rollbackTimes.Count,
            Ratio(succeeded, ended),
            MostCommonCause(incidents),
            Ratio(executed.Count(r => r.Authority == Authority.Automatic), executed.Count),
            runs.Count,
            Enum.GetValues<ActionRunStatus>().ToDictionary(status => status, status => runs.Count(r => r.Status == status)),
            runs.Count(r => r.DryRun || r.Status == ActionRunStatus.DryRun),
            refused.Count);
    }

    private async Task<HashSet<long>> RefusedAsync(IReadOnlyList<ActionRun> runs, CancellationToken cancellationToken)
    {
        var refused = new HashSet<long>();
        foreach (var run in runs)
        {
            var steps = RunRefusal.NeedsSteps(run) ? await store.GetStepsAsync(run.Id, cancellationToken) : [];
            if (RunRefusal.IsRefused(run, steps))
            {
                refused.Add(run.Id);
            }
        }

        return refused;
    }

    // Breach -> action done: from the start of the trigger rule's `for` window to the end of the run. An incident
    // stored before breach starts were recorded has none; its runs count from their start, as they always did.
    private async Task<List<TimeSpan>> RollbackTimesAsync(IReadOnlyList<ActionRun> runs, IReadOnlyList<Incident> incidents, CancellationToken cancellationToken)
    {
        var breaches = incidents.ToDictionary(i => i.Id, i => i.BreachStartedAt);
        var times = new List<TimeSpan>();
        foreach (var run in runs.Where(r => r.Status == ActionRunStatus.Succeeded && !r.DryRun && IsRollback(r.Action) && r.StartedAt is not null && r.CompletedAt is not null))
        {
            if (!breaches.TryGetValue(run.IncidentId, out var breach))
            {
                // A run in the window can belong to an incident detected before it.
                breach = (await store.GetIncidentAsync(run.IncidentId, cancellationToken))?.BreachStartedAt;
                breaches[run.IncidentId] = breach;
            }

            times.Add(run.CompletedAt!.Value - (breach ?? run.StartedAt!.Value));
        }

        return times;
    }

    private static bool IsRollback(DecisionAction action) =>
        action is DecisionAction.Rollback or DecisionAction.ScaleThenRollback or DecisionAction.StopWrites;

    private static double? Ratio(int part, int whole) => whole == 0 ? null : (double)part / whole;

    private static CauseShare? MostCommonCause(IReadOnlyList<Incident> incidents) => incidents
        .GroupBy(i => i.TriggerRule, StringComparer.Ordinal)
        .OrderByDescending(g => g.Count())
        .ThenBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new CauseShare(g.Key, g.Count(), (double)g.Count() / incidents.Count))
        .FirstOrDefault();
}
