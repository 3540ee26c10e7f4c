using System.Globalization;
using Watchdog.Configuration;
using Watchdog.Incidents.Notifications;
using Watchdog.Rules;

namespace Watchdog.Incidents.Approvals;

/// <summary>The approval request and escalation messages, and the outbox keys that make each level go out once.</summary>
internal static class ApprovalMessages
{
    public const string RequestedKind = "approval-requested";
    public const string EscalatedKind = "approval-escalated";

    /// <summary>One key per approval and level: a level re-reached after a restart is not queued again.</summary>
    public static string EventKey(long approvalId, int level) =>
        string.Create(CultureInfo.InvariantCulture, $"approval/{approvalId}/level/{level}");

    public static string ApprovePath(long approvalId) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/v1/approvals/{approvalId}/approve");

    public static string RejectPath(long approvalId) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/v1/approvals/{approvalId}/reject");

    public static NotificationMessage Requested(Approval approval, string rule, IReadOnlyList<string> notify) =>
        new(
            RequestedKind,
            "APPROVAL REQUIRED",
            Fields(approval, rule, notify),
            $"{approval.Action.ToName()} of {approval.Target} waits for someone with {approval.Required.ToName()} authority or above. "
                + $"Reject with POST {RejectPath(approval.Id)}.");

    public static NotificationMessage Escalated(Approval approval, string rule, IReadOnlyList<string> notify, TimeSpan waited) =>
        new(
            EscalatedKind,
            "APPROVAL ESCALATED",
            Fields(approval, rule, notify),
            $"Nobody has answered for {DurationText.Format(waited)}: {approval.Action.ToName()} of {approval.Target} still waits for "
                + $"someone with {approval.Required.ToName()} authority or above. Reject with POST {RejectPath(approval.Id)}.");

    public static string NotifyText(IReadOnlyList<string> notify) =>
        notify.Count == 0 ? "(no one configured)" : string.Join(", ", notify);

    private static KeyValuePair<string, string>[] Fields(Approval approval, string rule, IReadOnlyList<string> notify) =>
    [
        new("Target", approval.Target),
        new("Action", approval.Action.ToName()),
        new("Required Authority", approval.Required.ToName()),
        new("Rule", rule),
        new("Approval", approval.Id.ToString(CultureInfo.InvariantCulture)),
        new("Approve With", $"POST {ApprovePath(approval.Id)}"),
        new("Notify", NotifyText(notify)),
        new("Waiting Since", approval.RequestedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
    ];
}
