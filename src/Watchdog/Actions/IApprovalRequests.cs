using Watchdog.Records;

namespace Watchdog.Actions;

/// <summary>How the executor asks for a person's approval, inside its own transaction.</summary>
internal interface IApprovalRequests
{
    /// <summary>Records <paramref name="pending"/>, its timeline event and its first notification; returns it with its id.</summary>
    Task<Approval> RequestAsync(IStoreTransaction transaction, Approval pending, Incident incident, string ruleSummary, CancellationToken cancellationToken);
}
