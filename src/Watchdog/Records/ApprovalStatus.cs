namespace Watchdog.Records;

internal enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,

    /// <summary>Nobody answered within the policy's <c>auto_approve_after</c>.</summary>
    AutoApproved,
}
