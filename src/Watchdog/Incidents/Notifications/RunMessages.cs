using Watchdog.Actions;
using Watchdog.Records;

namespace Watchdog.Incidents.Notifications;

/// <summary>Fills the runbook's message templates from what an incident and its run know.</summary>
internal static class RunMessages
{
    /// <summary>
    /// Sent as the run starts. What runs now and where the run lands are the first step's own reading when its action
    /// can preview (a deployment undo reads the deployment and its history); otherwise what runs now is what an earlier
    /// run of the incident left (its after state), and where it lands is left out: a field not known is never guessed.
    /// </summary>
    public static NotificationMessage InProgress(Incident incident, ActionRun run, DateTimeOffset started, TimeSpan? eta, StepPreview? preview = null) =>
        RollbackMessages.InProgress(
            Environment(incident),
            preview?.Current ?? incident.AfterState ?? incident.BeforeState,
            preview?.Landing,
            $"{run.Rule}: {incident.TriggerSummary}",
            started,
            eta);

    public static NotificationMessage StepProgress(Incident incident, string progress, DateTimeOffset at) =>
        RollbackMessages.Progress(Environment(incident), progress, at);

    public static NotificationMessage IssuesDetected(Incident incident, string issues, string actions, DateTimeOffset nextUpdate) =>
        RollbackMessages.IssuesDetected(Environment(incident), incident.AfterState ?? incident.BeforeState ?? "unknown", issues, actions, nextUpdate);

    public static NotificationMessage Skipped(Incident incident, ActionRun run, string reason) =>
        RollbackMessages.ActionSkipped(incident.Target, run.Action, SkipReasonOf(reason), reason, run.CreatedAt);

    public static NotificationMessage Complete(Incident incident) =>
        RollbackMessages.Complete(Environment(incident), incident.AfterState);

    private static string Environment(Incident incident) => incident.Environment ?? "unknown";

    // Reasons start with their kind ("cooldown: ...", "budget: ...", "dry run: ...", "no plan: ...").
    private static ActionSkipReason SkipReasonOf(string reason) =>
        reason.StartsWith("cooldown:", StringComparison.Ordinal) ? ActionSkipReason.Cooldown
        : reason.StartsWith("budget:", StringComparison.Ordinal) ? ActionSkipReason.Budget
        : reason.StartsWith("dry run:", StringComparison.Ordinal) ? ActionSkipReason.DryRun
        : ActionSkipReason.NoPlan;
}
