using Watchdog.Actions;
using Watchdog.Records;

namespace Watchdog.Incidents.Stats;

/// <summary>
/// The runbook's "Rollback Metrics" over a window. Every rate and average is null when there is nothing to
/// compute it from, never NaN.
/// </summary>
/// <param name="AverageRollbackTime">
/// Breach -> action done (the start of the trigger rule's <c>for</c> window to the run's end), over
/// <paramref name="MeasuredRollbacks"/>: succeeded rollback, scale-then-rollback and stop-writes runs.
/// </param>
/// <param name="SuccessRate">Succeeded / (succeeded + failed + interrupted), over runs of every action that executed: <paramref name="Refused"/> runs are in neither.</param>
/// <param name="MostCommonCause">The rule that opened the most incidents; ties go to the rule name first in ordinal order.</param>
/// <param name="AutomatedShare">Runs of authority <c>automatic</c> among executed runs (running, succeeded, failed, interrupted).</param>
/// <param name="RunsByStatus">Every status, zeros included.</param>
/// <param name="DryRuns">Runs that were dry runs, whatever their status.</param>
/// <param name="Refused">Runs a safety rail refused (see <see cref="RunRefusal"/>); they keep their status in <paramref name="RunsByStatus"/>.</param>
internal sealed record RollbackStatistics(
    DateTimeOffset From,
    DateTimeOffset To,
    int Incidents,
    int OpenIncidents,
    TimeSpan? AverageRollbackTime,
    int MeasuredRollbacks,
    double? SuccessRate,
    CauseShare? MostCommonCause,
    double? AutomatedShare,
    int Runs,
    IReadOnlyDictionary<ActionRunStatus, int> RunsByStatus,
    int DryRuns,
    int Refused);
