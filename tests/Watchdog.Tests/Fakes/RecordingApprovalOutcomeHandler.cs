using System.Collections.Concurrent;
using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;

namespace Watchdog.Tests.Fakes;

/// <summary>Stands in for the executor: records which approvals it was told about, and can be made to fail.</summary>
internal sealed class RecordingApprovalOutcomeHandler : IApprovalOutcomeHandler
{
    public ConcurrentQueue<Approval> Approved { get; } = new();

    public ConcurrentQueue<Approval> Rejected { get; } = new();

    public Exception? ThrowOnCall { get; set; }

    public Task OnApprovedAsync(Approval approval, CancellationToken cancellationToken)
    {
        Approved.Enqueue(approval);
        return ThrowOnCall is { } exception ? Task.FromException(exception) : Task.CompletedTask;
    }

    public Task OnRejectedAsync(Approval approval, CancellationToken cancellationToken)
    {
        Rejected.Enqueue(approval);
        return ThrowOnCall is { } exception ? Task.FromException(exception) : Task.CompletedTask;
    }
}
