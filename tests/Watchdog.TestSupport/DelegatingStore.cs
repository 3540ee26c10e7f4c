using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;

namespace Watchdog.TestSupport;

/// <summary>A store that passes every call to another; test doubles override only the calls they break.</summary>
internal abstract class DelegatingStore(IWatchdogStore inner) : IWatchdogStore
{
    protected IWatchdogStore Inner => inner;

    public virtual string Describe() => inner.Describe();

    public virtual Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public virtual Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

    public virtual Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken) => inner.BeginAsync(cancellationToken);

    public virtual Task<Incident?> GetIncidentAsync(long id, CancellationToken cancellationToken) => inner.GetIncidentAsync(id, cancellationToken);

    public virtual Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken) => inner.GetOpenIncidentAsync(target, cancellationToken);

    public virtual Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken) => inner.ListIncidentsAsync(query, cancellationToken);

    public virtual Task<IReadOnlyList<IncidentEvent>> GetTimelineAsync(long incidentId, CancellationToken cancellationToken) => inner.GetTimelineAsync(incidentId, cancellationToken);

    public virtual Task<IReadOnlyList<DecisionRecord>> ListDecisionsAsync(string? target, long? incidentId, int limit, CancellationToken cancellationToken) =>
        inner.ListDecisionsAsync(target, incidentId, limit, cancellationToken);

    public virtual Task<ActionRun?> GetRunAsync(long id, CancellationToken cancellationToken) => inner.GetRunAsync(id, cancellationToken);

    public virtual Task<IReadOnlyList<ActionStep>> GetStepsAsync(long runId, CancellationToken cancellationToken) => inner.GetStepsAsync(runId, cancellationToken);

    public virtual Task<IReadOnlyList<ActionRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => inner.ListRunsAsync(query, cancellationToken);

    public virtual Task<Approval?> GetApprovalAsync(long id, CancellationToken cancellationToken) => inner.GetApprovalAsync(id, cancellationToken);

    public virtual Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalStatus? status, CancellationToken cancellationToken) => inner.ListApprovalsAsync(status, cancellationToken);

    public virtual Task<IReadOnlyList<OutboxNotification>> ListNotificationsAsync(NotificationStatus? status, long? incidentId, int limit, CancellationToken cancellationToken) =>
        inner.ListNotificationsAsync(status, incidentId, limit, cancellationToken);

    public virtual Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, CancellationToken cancellationToken) => inner.ListAlertsAsync(limit, cancellationToken);

    public virtual Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, AlertCursor before, CancellationToken cancellationToken) => inner.ListAlertsAsync(limit, before, cancellationToken);

    public virtual Task<IReadOnlyList<ReceivedAlert>> ListAlertsSeenSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        inner.ListAlertsSeenSinceAsync(since, limit, cancellationToken);

    public virtual Task<bool> IsBadRevisionAsync(string target, string resource, string revision, CancellationToken cancellationToken) =>
        inner.IsBadRevisionAsync(target, resource, revision, cancellationToken);

    public virtual Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string target, string resource, CancellationToken cancellationToken) =>
        inner.ListKnownGoodAsync(target, resource, cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return inner.DisposeAsync();
    }
}
