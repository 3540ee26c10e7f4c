using Watchdog.Records;

namespace Watchdog.Actions;

/// <summary>The executor's side of approvals: what becomes of a waiting run once its approval is decided.</summary>
internal interface IApprovalOutcomeHandler
{
    /// <summary>The approval was granted (by a person or by <c>auto_approve_after</c>): carry out the run.</summary>
    Task OnApprovedAsync(Approval approval, CancellationToken cancellationToken);

    /// <summary>The approval was refused: the run ends as rejected and none of its steps run.</summary>
    Task OnRejectedAsync(Approval approval, CancellationToken cancellationToken);
}
