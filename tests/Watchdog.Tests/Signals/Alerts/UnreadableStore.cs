using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Store;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>A store whose alert list fails while <see cref="Unreadable"/> is set; everything else passes through.</summary>
internal sealed class UnreadableStore(IWatchdogStore inner) : IWatchdogStore
{
    public bool Unreadable { get; set; }

    public Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, CancellationToken cancellationToken) => Unreadable
        ? throw new InvalidOperationException("the store cannot be read (UnreadableStore)")
        : inner.ListAlertsAsync(limit, cancellationToken);

    public string Describe() => inner.Describe();

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken) => inner.BeginAsync(cancellationToken);

    public Task<Incident?> GetIncidentAsync(long id, CancellationToken cancellationToken) => inner.GetIncidentAsync(id, cancellationToken);

    public Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken) => inner.GetOpenIncidentAsync(target, cancellationToken);

    public Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken) => inner.ListIncidentsAsync(query, cancellationToken);

    public Task<IReadOnlyList<IncidentEvent>> GetTimelineAsync(long incidentId, CancellationToken cancellationToken) => inner.GetTimelineAsync(incidentId, cancellationToken);

    public Task<IReadOnlyList<DecisionRecord>> ListDecisionsAsync(string? target, long? incidentId, int limit, CancellationToken cancellationToken) =>
        inner.ListDecisionsAsync(target, incidentId, limit, cancellationToken);

    public Task<ActionRun?> GetRunAsync(long id, CancellationToken cancellationToken) => inner.GetRunAsync(id, cancellationToken);

    public Task<IReadOnlyList<ActionStep>> GetStepsAsync(long runId, CancellationToken cancellationToken) => inner.GetStepsAsync(runId, cancellationToken);

    public Task<IReadOnlyList<ActionRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => inner.ListRunsAsync(query, cancellationToken);

    public Task<Approval?> GetApprovalAsync(long id, CancellationToken cancellationToken) => inner.GetApprovalAsync(id, cancellationToken);

    public Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalStatus? status, CancellationToken cancellationToken) => inner.ListApprovalsAsync(status, cancellationToken);

    public Task<IReadOnlyList<OutboxNotification>> ListNotificationsAsync(NotificationStatus? status, long? incidentId, int limit, CancellationToken cancellationToken) =>
        inner.ListNotificationsAsync(status, incidentId, limit, cancellationToken);

    public Task<bool> IsBadRevisionAsync(string target, string resource, string revision, CancellationToken cancellationToken) =>
        inner.IsBadRevisionAsync(target, resource, revision, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
