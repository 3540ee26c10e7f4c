using Watchdog.Records;


namespace Watchdog.Incidents.Approvals;

/// <summary>What became of a request to decide an approval.</summary>
/// <param name="Approval">The approval as stored after the call; null only for <see cref="ApprovalDecisionOutcome.NotFound"/>.</param>
internal sealed record ApprovalDecision(ApprovalDecisionOutcome Outcome, Approval? Approval)
{
    public static ApprovalDecision NotFound { get; } = new(ApprovalDecisionOutcome.NotFound, null);

    /// <summary>Whether the approval now stands as the caller asked (changed now, or already so).</summary>
    public bool Succeeded => Outcome is ApprovalDecisionOutcome.Approved or ApprovalDecisionOutcome.Rejected or ApprovalDecisionOutcome.AlreadyDecided;
}
