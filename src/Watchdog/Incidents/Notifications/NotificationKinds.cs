
namespace Watchdog.Incidents.Notifications;

/// <summary>The stable machine names of <see cref="NotificationMessage.Kind"/>, as receivers see them.</summary>
internal static class NotificationKinds
{
    public const string RollbackInProgress = "rollback-in-progress";
    public const string RollbackComplete = "rollback-complete";
    public const string RollbackIssuesDetected = "rollback-issues-detected";

    // Named like the timeline event it accompanies (IncidentEventKind.ApprovalRequested), as the outbox contract's examples do.
    public const string ApprovalRequested = "approval-requested";
    public const string ApprovalEscalated = "approval-escalated";
    public const string ActionSkipped = "action-skipped";
}
