using Watchdog.Rules;

namespace Watchdog.Incidents.Notifications;

/// <summary>
/// The WMS runbook's "Rollback Communication" messages, word for word: the same titles, the same fields in the
/// same order. Pure: every time is passed in.
/// </summary>
internal static class RollbackMessages
{
    /// <summary>
    /// "During Rollback". A version or ETA that is not known is left out rather than guessed: a person acts on
    /// what the page says.
    /// </summary>
    /// <param name="previousVersion">What runs now, e.g. <c>checkout:v2-bad (revision 3)</c>.</param>
    /// <param name="rollingBackTo">What the plan will land on, when known before it runs.</param>
    /// <param name="eta">How long earlier runs of the plan took (<see cref="RunEta"/>).</param>
    public static NotificationMessage InProgress(
        string environment, string? previousVersion, string? rollingBackTo, string reason, DateTimeOffset startedAt, TimeSpan? eta)
    {
        List<KeyValuePair<string, string>> fields = [new("Environment", environment)];
        if (previousVersion is not null)
        {
            fields.Add(new("Previous Version", previousVersion));
        }

        if (rollingBackTo is not null)
        {
            fields.Add(new("Rolling Back To", rollingBackTo));
        }

        fields.Add(new("Reason", reason));
        fields.Add(new("Started", MessageFormat.Timestamp(startedAt)));
        if (eta is { } known)
        {
            fields.Add(new("ETA", MessageFormat.Duration(known)));
        }

        return new(NotificationKinds.RollbackInProgress, "ROLLBACK IN PROGRESS", fields);
    }

    /// <summary>
    /// A step's progress while the rollback is under way, as the runbook's gradual flag rollback says it
    /// (<c>Reducing checkout-v2: 50 % → 25 %</c>, <c>pausing rollback at 10 %</c>).
    /// </summary>
    public static NotificationMessage Progress(string environment, string progress, DateTimeOffset at) =>
        new(NotificationKinds.RollbackInProgress, "ROLLBACK IN PROGRESS",
        [
            new("Environment", environment),
            new("Progress", progress),
            new("At", MessageFormat.Timestamp(at)),
        ]);

    /// <summary>"Post-Rollback Success": sent once the target is verified healthy after the rollback.</summary>
    /// <param name="currentVersion">What runs now, left out when no step said (a webhook-only plan).</param>
    public static NotificationMessage Complete(string environment, string? currentVersion) =>
        new(NotificationKinds.RollbackComplete, "ROLLBACK COMPLETE",
        [
            new("Environment", environment),
            .. currentVersion is null ? [] : new KeyValuePair<string, string>[] { new("Current Version", currentVersion) },
            new("Status", "Operational"),
        ],
        "All health checks passing");

    /// <summary>"Post-Rollback Issues": the rollback ran but the target is not healthy (or a step failed).</summary>
    public static NotificationMessage IssuesDetected(
        string environment, string currentVersion, string issues, string actions, DateTimeOffset nextUpdate) =>
        new(NotificationKinds.RollbackIssuesDetected, "ROLLBACK ISSUES DETECTED",
        [
            new("Environment", environment),
            new("Current Version", currentVersion),
            new("Issues", issues),
            new("Actions", actions),
            new("Next Update", MessageFormat.Timestamp(nextUpdate)),
        ]);

    /// <summary>A decided action that a safety rail held back, so people know Watchdog saw the problem and why it did nothing.</summary>
    /// <param name="reason">The specifics, e.g. "cooldown: the last action on checkout was at 12:00:02 UTC; the next may run from 12:10:02 UTC".</param>
    public static NotificationMessage ActionSkipped(
        string target, DecisionAction action, ActionSkipReason because, string reason, DateTimeOffset at) =>
        new(NotificationKinds.ActionSkipped, "ACTION SKIPPED",
        [
            new("Target", target),
            new("Action", action.ToName()),
            new("Skipped Because", because switch
            {
                ActionSkipReason.DryRun => "dry run",
                ActionSkipReason.Cooldown => "cooldown",
                ActionSkipReason.Budget => "budget",
                ActionSkipReason.NoPlan => "no plan",
                _ => throw new ArgumentOutOfRangeException(nameof(because), because, "unknown skip reason"),
            }),
            new("Reason", reason),
            new("At", MessageFormat.Timestamp(at)),
        ]);
}
