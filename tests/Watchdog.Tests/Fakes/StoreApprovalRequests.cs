using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;

namespace Watchdog.Tests.Fakes;

/// <summary>Records approval requests in the store, with their timeline event, and nothing else.</summary>
internal sealed class StoreApprovalRequests : IApprovalRequests
{
    public async Task<Approval> RequestAsync(IStoreTransaction transaction, Approval pending, Incident incident, string ruleSummary, CancellationToken cancellationToken)
    {
        var stored = await transaction.InsertApprovalAsync(pending, cancellationToken);
        await transaction.AppendEventAsync(new IncidentEvent(incident.Id, pending.RequestedAt, IncidentEventKind.ApprovalRequested, $"approval {stored.Id} requested"), cancellationToken);
        return stored;
    }
}
