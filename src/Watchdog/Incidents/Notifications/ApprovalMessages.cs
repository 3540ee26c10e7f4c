using System.Globalization;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents.Notifications;

/// <summary>Messages asking a person to let an action run, and the reminders that escalate while nobody answers. Pure.</summary>
internal static class ApprovalMessages
{
    /// <summary>Sent to on-call at once when an action needs more than automatic authority.</summary>
    /// <param name="rule">The rule that decided the action (matrix row or tree leaf).</param>
    /// <param name="values">The values and thresholds that made it fire, e.g. "error_rate 0.12 > 0.10 for 30s".</param>
    /// <param name="links">Where to answer (<c>http.public_url</c>).</param>
    public static NotificationMessage Requested(Approval approval, string rule, string values, ApprovalLinks links)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(links);
        return new(NotificationKinds.ApprovalRequested, "APPROVAL REQUIRED",
        [
            new("Target", approval.Target),
            new("Action", approval.Action.ToName()),
            new("Required Authority", approval.Required.ToName()),
            new("Rule", rule),
            new("Values", values),
            new("Approval ID", Id(approval)),
            new("Requested", MessageFormat.Timestamp(approval.RequestedAt)),
            new("Link", links.Of(approval.Id)),
            new("Approve", links.Approve(approval.Id)),
            new("Reject", links.Reject(approval.Id)),
        ],
        $"POST with a bearer token whose role is at least {approval.Required.ToName()}.");
    }

    /// <summary>Sent each time an unanswered request reaches the next level of the runbook's "Escalation During Rollback".</summary>
    /// <param name="level">The level reached, 1 for the first escalation after on-call.</param>
    /// <param name="escalation">That level's configuration: after how long, and who is now notified.</param>
    /// <param name="links">Where to answer (<c>http.public_url</c>).</param>
    public static NotificationMessage Escalated(Approval approval, int level, EscalationLevelOptions escalation, ApprovalLinks links)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(links);
        return new(NotificationKinds.ApprovalEscalated, "APPROVAL ESCALATED",
        [
            new("Target", approval.Target),
            new("Action", approval.Action.ToName()),
            new("Required Authority", approval.Required.ToName()),
            new("Approval ID", Id(approval)),
            new("Escalation Level", string.Create(CultureInfo.InvariantCulture, $"{level} (unanswered for {MessageFormat.Duration(escalation.After)})")),
            new("Now Notified", string.Join(", ", escalation.Notify)),
            new("Waiting Since", MessageFormat.Timestamp(approval.RequestedAt)),
            new("Link", links.Of(approval.Id)),
            new("Approve", links.Approve(approval.Id)),
            new("Reject", links.Reject(approval.Id)),
        ]);
    }

    private static string Id(Approval approval) => approval.Id.ToString(CultureInfo.InvariantCulture);
}
