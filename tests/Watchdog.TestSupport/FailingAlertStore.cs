using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;

namespace Watchdog.TestSupport;

/// <summary>
/// A store that behaves like the one it wraps until <see cref="FailAlertInserts"/> is set: then each transaction
/// stores the first alert it is given and throws at the second (or at the commit, for a single alert), so a
/// failure strikes midway through a notification, and whatever the transaction wrote must roll back. It also counts
/// the transactions given alerts and, with <see cref="AlertGate"/>, can hold each at its first alert, so that a test
/// can keep a writer busy while other calls queue behind it.
/// </summary>
internal sealed class FailingAlertStore(IWatchdogStore inner) : DelegatingStore(inner)
{
    private int _failures;
    private int _alertTransactions;

    /// <summary>While true, alert transactions fail.</summary>
    public bool FailAlertInserts { get; set; }

    /// <summary>How many transactions failed on purpose.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>How many transactions were given at least one alert, failed or not.</summary>
    public int AlertTransactions => Volatile.Read(ref _alertTransactions);

    /// <summary>When set, each transaction waits for one release of it before writing its first alert.</summary>
    public SemaphoreSlim? AlertGate { get; set; }

    public override string Describe() => $"failing alerts over {Inner.Describe()}";

    public override async Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken) =>
        new Transaction(this, await Inner.BeginAsync(cancellationToken));

    private sealed class Transaction(FailingAlertStore store, IStoreTransaction inner) : IStoreTransaction
    {
        private int _alerts;

        public async Task<bool> TryInsertAlertAsync(ReceivedAlert alert, CancellationToken cancellationToken)
        {
            if (++_alerts == 1)
            {
                Interlocked.Increment(ref store._alertTransactions);
                if (store.AlertGate is { } gate)
                {
                    await gate.WaitAsync(cancellationToken);
                }
            }

            if (store.FailAlertInserts && _alerts > 1)
            {
                Fail();
            }

            return await inner.TryInsertAlertAsync(alert, cancellationToken);
        }

        public Task<int> PruneAlertsAsync(AlertPrune prune, CancellationToken cancellationToken) => inner.PruneAlertsAsync(prune, cancellationToken);

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

        public Task RecordKnownGoodAsync(KnownGoodRevision revision, CancellationToken cancellationToken) => inner.RecordKnownGoodAsync(revision, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private void Fail()
        {
            Interlocked.Increment(ref store._failures);
            throw new InvalidOperationException("the store failed on purpose (FailingAlertStore)");
        }
    }
}
