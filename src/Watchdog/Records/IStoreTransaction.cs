
namespace Watchdog.Records;

/// <summary>The writes of one transaction. Inserts return the record with its new id.</summary>
internal interface IStoreTransaction : IAsyncDisposable
{
    /// <summary>The open incident of a target as this transaction sees it.</summary>
    Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="StoreConflictException"/> if the target already has an open incident.</summary>
    Task<Incident> InsertIncidentAsync(Incident incident, CancellationToken cancellationToken);

    /// <summary>Writes every field of the incident with this id.</summary>
    Task UpdateIncidentAsync(Incident incident, CancellationToken cancellationToken);

    Task<IncidentEvent> AppendEventAsync(IncidentEvent incidentEvent, CancellationToken cancellationToken);

    Task<DecisionRecord> InsertDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken);

    Task<ActionRun> InsertRunAsync(ActionRun run, CancellationToken cancellationToken);

    Task UpdateRunAsync(ActionRun run, CancellationToken cancellationToken);

    /// <summary>Steps are keyed by (run id, index).</summary>
    Task InsertStepAsync(ActionStep actionStep, CancellationToken cancellationToken);

    Task UpdateStepAsync(ActionStep actionStep, CancellationToken cancellationToken);

    Task<Approval> InsertApprovalAsync(Approval approval, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the approval only if its stored status is still <paramref name="expected"/> (optimistic
    /// concurrency: two people approving at once cannot both win). Returns whether it was written.
    /// </summary>
    Task<bool> UpdateApprovalAsync(Approval approval, ApprovalStatus expected, CancellationToken cancellationToken);

    /// <summary>Queues a notification; false (and nothing written) if this event key was already queued for this channel.</summary>
    Task<bool> TryEnqueueNotificationAsync(OutboxNotification notification, CancellationToken cancellationToken);

    Task UpdateNotificationAsync(OutboxNotification notification, CancellationToken cancellationToken);

    /// <summary>
    /// Stores an alert; false if the same fingerprint, status and start were stored before, and then only that
    /// alert's last-seen time moves to this copy's <see cref="ReceivedAlert.ReceivedAt"/>.
    /// </summary>
    Task<bool> TryInsertAlertAsync(ReceivedAlert alert, CancellationToken cancellationToken);

    /// <summary>Removes the alerts past their retention or the cap, in one statement; returns how many.</summary>
    Task<int> PruneAlertsAsync(AlertPrune prune, CancellationToken cancellationToken);

    /// <summary>Remembers that a revision was rolled back from; idempotent.</summary>
    Task MarkBadRevisionAsync(string target, string resource, string revision, long? incidentId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records (or confirms again) a known-good revision; one row per target, resource and template hash.</summary>
    Task RecordKnownGoodAsync(KnownGoodRevision revision, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
