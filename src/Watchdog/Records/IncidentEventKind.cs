namespace Watchdog.Records;

/// <summary>The kinds of timeline entries; stored by these names.</summary>
internal static class IncidentEventKind
{
    public const string Detected = "detected";
    public const string Decision = "decision";
    public const string ActionPlanned = "action-planned";
    public const string ActionSkipped = "action-skipped";
    public const string StepStarted = "step-started";
    public const string StepSucceeded = "step-succeeded";
    public const string StepFailed = "step-failed";
    public const string StepInterrupted = "step-interrupted";
    public const string StepResumed = "step-resumed";
    public const string StepProgress = "step-progress";
    public const string ActionCompleted = "action-completed";
    public const string ApprovalRequested = "approval-requested";
    public const string ApprovalEscalated = "approval-escalated";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string NotificationSent = "notification-sent";
    public const string NotificationFailed = "notification-failed";
    public const string StateSaved = "state-saved";
    public const string VerifiedHealthy = "verified-healthy";
    public const string NotRecovered = "not-recovered";
    public const string Settling = "settling";
    public const string Closed = "closed";

    /// <summary>Another replica became the leader while the incident was open (high availability).</summary>
    public const string TookOver = "took-over";
}
