using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Actions;

/// <summary>
/// The rails that keep an automatic rollback from making things worse: a cooldown after an action on the
/// same target and a budget of runs per hour. Pure: the caller passes the target's recent runs and the time.
/// </summary>
internal static class SafetyRails
{
    /// <summary>The reason a new run must not go ahead now, or null when it may.</summary>
    public static string? Check(TargetOptions target, IReadOnlyList<ActionRun> recentRuns, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(recentRuns);
        var executed = recentRuns.Where(Executed).ToList();
        var last = executed.Select(r => r.CompletedAt ?? r.StartedAt ?? r.CreatedAt).DefaultIfEmpty().Max();
        if (executed.Count > 0 && now - last < target.Cooldown)
        {
            return $"cooldown: the last action on {target.Name} was at {TimeOfDayText.Utc(last)}; the next may run from {TimeOfDayText.Utc(last + target.Cooldown)}";
        }

        var inLastHour = executed.Count(r => r.CreatedAt > now - TimeSpan.FromHours(1));
        if (inLastHour >= target.MaxActionsPerHour)
        {
            return $"budget: {inLastHour} actions on {target.Name} in the last hour (at most {target.MaxActionsPerHour})";
        }

        return null;
    }

    /// <summary>A run that changed (or tried to change) something counts for cooldown and budget.</summary>
    public static bool Executed(ActionRun run) =>
        run.Status is ActionRunStatus.Running or ActionRunStatus.Succeeded or ActionRunStatus.Failed or ActionRunStatus.Interrupted;
}
