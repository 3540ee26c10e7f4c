
namespace Watchdog.Records;

/// <summary>
/// Everything Watchdog remembers: incidents and their timelines, decisions, action runs and steps, approvals,
/// received alerts, the notification outbox and revisions known to be bad. Reads are on the store; every
/// write goes through a transaction from <see cref="BeginAsync"/>, so that a step's journal entry, its
/// timeline event and its notification are committed together or not at all. The store never reads a
/// clock: every time is passed in. SQLite (embedded default) and PostgreSQL behave the same.
/// </summary>
internal interface IWatchdogStore : IAsyncDisposable
{
    /// <summary>Where the data lives, for logs (never includes a password).</summary>
    string Describe();

    /// <summary>Creates the schema or applies the migrations it lacks; safe to call at every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Asks the database something trivial: throws as any read would when it does not answer (for <c>/readyz</c>).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Starts a transaction; dispose without <see cref="IStoreTransaction.CommitAsync"/> rolls back.</summary>
    Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken);

    Task<Incident?> GetIncidentAsync(long id, CancellationToken cancellationToken);

    Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken);

    /// <summary>Oldest first, in the order appended.</summary>
    Task<IReadOnlyList<IncidentEvent>> GetTimelineAsync(long incidentId, CancellationToken cancellationToken);

    /// <summary>Newest first; either filter may be null.</summary>
    Task<IReadOnlyList<DecisionRecord>> ListDecisionsAsync(string? target, long? incidentId, int limit, CancellationToken cancellationToken);

    Task<ActionRun?> GetRunAsync(long id, CancellationToken cancellationToken);

    /// <summary>In plan order.</summary>
    Task<IReadOnlyList<ActionStep>> GetStepsAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<ActionRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    Task<Approval?> GetApprovalAsync(long id, CancellationToken cancellationToken);

    /// <summary>Oldest first; <paramref name="status"/> null lists all.</summary>
    Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalStatus? status, CancellationToken cancellationToken);

    /// <summary>Oldest first; filters may be null.</summary>
    Task<IReadOnlyList<OutboxNotification>> ListNotificationsAsync(NotificationStatus? status, long? incidentId, int limit, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Newest first, those after <paramref name="before"/> in that order (the next page).</summary>
    Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, AlertCursor before, CancellationToken cancellationToken);

    /// <summary>
    /// Least recently seen first, the alerts stored or seen again at or after <paramref name="since"/>: a new alert, a
    /// renewed copy and a resolution all move <c>last_seen_at</c>, so another replica's intake shows here.
    /// </summary>
    Task<IReadOnlyList<ReceivedAlert>> ListAlertsSeenSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>Whether a revision of a resource was rolled back from before, so must not be rolled back to.</summary>
    Task<bool> IsBadRevisionAsync(string target, string resource, string revision, CancellationToken cancellationToken);

    /// <summary>The known-good revisions of a resource, most recently confirmed first.</summary>
    Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string target, string resource, CancellationToken cancellationToken);
}
