using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Store;

namespace Watchdog.Tests.Fakes;

/// <summary>
/// A store that behaves like the one it wraps until <see cref="FailAlertInserts"/> is set: then each transaction
/// stores the first alert it is given and throws at the second (or at the commit, for a single alert), so a
/// failure strikes midway through a notification, and whatever the transaction wrote must roll back.
/// </summary>
public sealed class FailingAlertStore(IWatchdogStore inner) : IWatchdogStore
{
    private int _failures;

    /// <summary>While true, alert transactions fail.</summary>
    public bool FailAlertInserts { get; set; }

    /// <summary>How many transactions failed on purpose.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public string Describe() => $"failing alerts over {inner.Describe()}";

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public async Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken) =>
        new Transaction(this, await inner.BeginAsync(cancellationToken));

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

    public Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, CancellationToken cancellationToken) => inner.ListAlertsAsync(limit, cancellationToken);

    public Task<bool> IsBadRevisionAsync(string target, string resource, string revision, CancellationToken cancellationToken) =>
        inner.IsBadRevisionAsync(target, resource, revision, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class Transaction(FailingAlertStore store, IStoreTransaction inner) : IStoreTransaction
    {
        private int _alerts;

        public Task<bool> TryInsertAlertAsync(ReceivedAlert alert, CancellationToken cancellationToken)
        {
            if (store.FailAlertInserts && ++_alerts > 1)
            {
                Fail();
            }

            return inner.TryInsertAlertAsync(alert, cancellationToken);
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            if (store.FailAlertInserts && _alerts > 0)
            {
                Fail();
            }

            return inner.CommitAsync(cancellationToken);
        }

        public Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken) => inner.GetOpenIncidentAsync(target, cancellationToken);

        public Task<Incident> InsertIncidentAsync(Incident incident, CancellationToken cancellationToken) => inner.InsertIncidentAsync(incident, cancellationToken);

        public Task UpdateIncidentAsync(Incident incident, CancellationToken cancellationToken) => inner.UpdateIncidentAsync(incident, cancellationToken);

        public Task<IncidentEvent> AppendEventAsync(IncidentEvent incidentEvent, CancellationToken cancellationToken) => inner.AppendEventAsync(incidentEvent, cancellationToken);

        public Task<DecisionRecord> InsertDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken) => inner.InsertDecisionAsync(decision, cancellationToken);

        public Task<ActionRun> InsertRunAsync(ActionRun run, CancellationToken cancellationToken) => inner.InsertRunAsync(run, cancellationToken);

        public Task UpdateRunAsync(ActionRun run, CancellationToken cancellationToken) => inner.UpdateRunAsync(run, cancellationToken);

        public Task InsertStepAsync(ActionStep actionStep, CancellationToken cancellationToken) => inner.InsertStepAsync(actionStep, cancellationToken);

        public Task UpdateStepAsync(ActionStep actionStep, CancellationToken cancellationToken) => inner.UpdateStepAsync(actionStep, cancellationToken);

        public Task<Approval> InsertApprovalAsync(Approval approval, CancellationToken cancellationToken) => inner.InsertApprovalAsync(approval, cancellationToken);

        public Task<bool> UpdateApprovalAsync(Approval approval, ApprovalStatus expected, CancellationToken cancellationToken) =>
            inner.UpdateApprovalAsync(approval, expected, cancellationToken);

        public Task<bool> TryEnqueueNotificationAsync(OutboxNotification notification, CancellationToken cancellationToken) =>
            inner.TryEnqueueNotificationAsync(notification, cancellationToken);

        public Task UpdateNotificationAsync(OutboxNotification notification, CancellationToken cancellationToken) => inner.UpdateNotificationAsync(notification, cancellationToken);

        public Task MarkBadRevisionAsync(string target, string resource, string revision, long? incidentId, DateTimeOffset at, CancellationToken cancellationToken) =>
            inner.MarkBadRevisionAsync(target, resource, revision, incidentId, at, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private void Fail()
        {
            Interlocked.Increment(ref store._failures);
            throw new InvalidOperationException("the store failed on purpose (FailingAlertStore)");
        }
    }
}
