using System.Globalization;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Rules;

namespace Watchdog.Actions;

/// <summary>The executor's messages, with the runbook's titles and fields.</summary>
internal static class RunMessages
{
    public static NotificationMessage InProgress(Incident incident, ActionRun run, DateTimeOffset started) => new(
        "rollback-in-progress",
        run.Action == DecisionAction.Rollback ? "ROLLBACK IN PROGRESS" : $"{Upper(run.Action)} IN PROGRESS",
        [
            new("Environment", incident.Environment ?? "unknown"),
            new("Target", incident.Target),
            new("Previous Version", incident.BeforeState ?? "the current release"),
            new("Rolling Back To", incident.AfterState ?? "the previous release"),
            new("Reason", $"{incident.TriggerRule}: {incident.TriggerSummary}"),
            new("Started", Time(started)),
            new("ETA", "5 minutes"),
        ]);

    public static NotificationMessage IssuesDetected(Incident incident, ActionRun run, string issues, string actions, DateTimeOffset nextUpdate) => new(
        "rollback-issues-detected",
        "ROLLBACK ISSUES DETECTED",
        [
            new("Environment", incident.Environment ?? "unknown"),
            new("Target", incident.Target),
            new("Current Version", incident.AfterState ?? incident.BeforeState ?? "unknown"),
            new("Issues", issues),
            new("Actions", actions),
            new("Next Update", Time(nextUpdate)),
        ],
        $"Run {run.Id} ({run.Action.ToName()}) on incident {incident.Id}");

    public static NotificationMessage Skipped(Incident incident, ActionRun run, string reason) => new(
        "action-skipped",
        "ACTION SKIPPED",
        [
            new("Environment", incident.Environment ?? "unknown"),
            new("Target", incident.Target),
            new("Action", $"{run.Action.ToName()} ({run.Authority.ToName()})"),
            new("Rule", run.Rule),
            new("Reason", reason),
        ]);

    public static NotificationMessage Complete(Incident incident) => new(
        "rollback-complete",
        "ROLLBACK COMPLETE",
        [
            new("Environment", incident.Environment ?? "unknown"),
            new("Target", incident.Target),
            new("Current Version", incident.AfterState ?? "the previous release"),
            new("Status", "Operational"),
        ],
        "All health checks passing");

    private static string Upper(DecisionAction action) => action.ToName().ToUpperInvariant().Replace('-', ' ');

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
