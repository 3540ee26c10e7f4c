using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Store;

namespace Watchdog.TestSupport;

/// <summary>
/// A test double of the store that keeps everything in memory, with the same rules as the SQL stores:
/// writers take turns, a transaction works on a copy that only a commit makes visible, and the uniqueness
/// rules (one open incident per target, notification and alert dedupe) hold. The integration tests run the
/// store contract suite against it too, so it cannot drift from the real ones.
/// </summary>
internal sealed class InMemoryWatchdogStore : IWatchdogStore
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly object _gate = new();
    private State _state = new();

    public string Describe() => "in-memory (tests only)";

    public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        lock (_gate)
        {
            return new Transaction(this, _state.Copy());
        }
    }

    public Task<Incident?> GetIncidentAsync(long id, CancellationToken cancellationToken) =>
        Read(s => s.Incidents.GetValueOrDefault(id));

    public Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken) =>
        Read(s => s.OpenIncident(target));

    public Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<Incident>>(s => [.. s.Incidents.Values
            .Where(i => (query.Status is null || i.Status == query.Status)
                && (query.Target is null || i.Target == query.Target)
                && (query.Since is null || i.DetectedAt >= query.Since))
            .OrderByDescending(i => i.DetectedAt).ThenByDescending(i => i.Id)
            .Take(query.Limit)]);

    public Task<IReadOnlyList<IncidentEvent>> GetTimelineAsync(long incidentId, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<IncidentEvent>>(s => [.. s.Events.Where(e => e.IncidentId == incidentId).OrderBy(e => e.Id)]);

    public Task<IReadOnlyList<DecisionRecord>> ListDecisionsAsync(string? target, long? incidentId, int limit, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<DecisionRecord>>(s => [.. s.Decisions
            .Where(d => (target is null || d.Target == target) && (incidentId is null || d.IncidentId == incidentId))
            .OrderByDescending(d => d.At).ThenByDescending(d => d.Id)
            .Take(limit)]);

    public Task<ActionRun?> GetRunAsync(long id, CancellationToken cancellationToken) => Read(s => s.Runs.GetValueOrDefault(id));

    public Task<IReadOnlyList<ActionStep>> GetStepsAsync(long runId, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<ActionStep>>(s => [.. s.Steps.Values.Where(st => st.RunId == runId).OrderBy(st => st.Index)]);

    public Task<IReadOnlyList<ActionRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<ActionRun>>(s => [.. s.Runs.Values
            .Where(r => (query.Target is null || r.Target == query.Target)
                && (query.IncidentId is null || r.IncidentId == query.IncidentId)
                && (query.Statuses is null || query.Statuses.Contains(r.Status))
                && (query.Since is null || r.CreatedAt >= query.Since))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Take(query.Limit)]);

    public Task<Approval?> GetApprovalAsync(long id, CancellationToken cancellationToken) => Read(s => s.Approvals.GetValueOrDefault(id));

    public Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalStatus? status, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<Approval>>(s => [.. s.Approvals.Values.Where(a => status is null || a.Status == status).OrderBy(a => a.RequestedAt).ThenBy(a => a.Id)]);

    public Task<IReadOnlyList<OutboxNotification>> ListNotificationsAsync(NotificationStatus? status, long? incidentId, int limit, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<OutboxNotification>>(s => [.. s.Notifications.Values
            .Where(n => (status is null || n.Status == status) && (incidentId is null || n.IncidentId == incidentId))
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id)
            .Take(limit)]);

    public Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<ReceivedAlert>>(s => [.. s.Alerts.OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.Id).Take(limit)]);

    public Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, AlertCursor before, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<ReceivedAlert>>(s => [.. s.Alerts
            .Where(a => a.ReceivedAt < before.ReceivedAt || (a.ReceivedAt == before.ReceivedAt && a.Id < before.Id))
            .OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.Id).Take(limit)]);

    public Task<IReadOnlyList<ReceivedAlert>> ListAlertsSeenSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<ReceivedAlert>>(s => [.. s.Alerts.Where(a => a.LastSeenAt >= since).OrderBy(a => a.LastSeenAt).ThenBy(a => a.Id).Take(limit)]);

    public Task<bool> IsBadRevisionAsync(string target, string resource, string revision, CancellationToken cancellationToken) =>
        Read(s => s.BadRevisions.Contains((target, resource, revision)));

    public Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string target, string resource, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<KnownGoodRevision>>(s => [.. s.KnownGood.Where(k => k.Target == target && k.Resource == resource).Reverse().OrderByDescending(k => k.RecordedAt)]);

    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<T> Read<T>(Func<State, T> read)
    {
        lock (_gate)
        {
            return Task.FromResult(read(_state));
        }
    }

    private sealed class State
    {
        public long NextId { get; set; } = 1;

        public Dictionary<long, Incident> Incidents { get; init; } = [];

        public List<IncidentEvent> Events { get; init; } = [];

        public List<DecisionRecord> Decisions { get; init; } = [];

        public Dictionary<long, ActionRun> Runs { get; init; } = [];

        public Dictionary<(long RunId, int Index), ActionStep> Steps { get; init; } = [];

        public Dictionary<long, Approval> Approvals { get; init; } = [];

        public Dictionary<long, OutboxNotification> Notifications { get; init; } = [];

        public List<ReceivedAlert> Alerts { get; init; } = [];

        public HashSet<(string, string, string)> BadRevisions { get; init; } = [];

        public List<KnownGoodRevision> KnownGood { get; init; } = [];

        public Incident? OpenIncident(string target) =>
            Incidents.Values.FirstOrDefault(i => i.Target == target && i.Status == IncidentStatus.Open);

        // Records are immutable, so copying the collections copies the state.
        public State Copy() => new()
        {
            NextId = NextId,
            Incidents = new(Incidents),
            Events = [.. Events],
            Decisions = [.. Decisions],
            Runs = new(Runs),
            Steps = new(Steps),
            Approvals = new(Approvals),
            Notifications = new(Notifications),
            Alerts = [.. Alerts],
            BadRevisions = [.. BadRevisions],
            KnownGood = [.. KnownGood],
        };
    }

    private sealed class Transaction(InMemoryWatchdogStore store, State state) : IStoreTransaction
    {
        private bool _done;

        public Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken) =>
            Task.FromResult(state.OpenIncident(target));

        public Task<Incident> InsertIncidentAsync(Incident incident, CancellationToken cancellationToken)
        {
            if (incident.Status == IncidentStatus.Open && state.OpenIncident(incident.Target) is not null)
            {
                throw new StoreConflictException($"target '{incident.Target}' already has an open incident");
            }

            var stored = incident with { Id = state.NextId++ };
            state.Incidents[stored.Id] = stored;
            return Task.FromResult(stored);
        }

        public Task UpdateIncidentAsync(Incident incident, CancellationToken cancellationToken)
        {
            if (incident.Status == IncidentStatus.Open && state.OpenIncident(incident.Target) is { } open && open.Id != incident.Id)
            {
                throw new StoreConflictException($"target '{incident.Target}' already has an open incident");
            }

            Replace(state.Incidents, incident.Id, incident);
            return Task.CompletedTask;
        }

        public Task<IncidentEvent> AppendEventAsync(IncidentEvent incidentEvent, CancellationToken cancellationToken)
        {
            var stored = incidentEvent with { Id = state.NextId++ };
            state.Events.Add(stored);
            return Task.FromResult(stored);
        }

        public Task<DecisionRecord> InsertDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken)
        {
            var stored = decision with { Id = state.NextId++ };
            state.Decisions.Add(stored);
            return Task.FromResult(stored);
        }

        public Task<ActionRun> InsertRunAsync(ActionRun run, CancellationToken cancellationToken)
        {
            var stored = run with { Id = state.NextId++ };
            state.Runs[stored.Id] = stored;
            return Task.FromResult(stored);
        }

        public Task UpdateRunAsync(ActionRun run, CancellationToken cancellationToken)
        {
            Replace(state.Runs, run.Id, run);
            return Task.CompletedTask;
        }

        public Task InsertStepAsync(ActionStep actionStep, CancellationToken cancellationToken)
        {
            if (!state.Steps.TryAdd((actionStep.RunId, actionStep.Index), actionStep))
            {
                throw new StoreConflictException($"step {actionStep.Index} of run {actionStep.RunId} exists");
            }

            return Task.CompletedTask;
        }

        public Task UpdateStepAsync(ActionStep actionStep, CancellationToken cancellationToken)
        {
            Replace(state.Steps, (actionStep.RunId, actionStep.Index), actionStep);
            return Task.CompletedTask;
        }

        public Task<Approval> InsertApprovalAsync(Approval approval, CancellationToken cancellationToken)
        {
            var stored = approval with { Id = state.NextId++ };
            state.Approvals[stored.Id] = stored;
            return Task.FromResult(stored);
        }

        public Task<bool> UpdateApprovalAsync(Approval approval, ApprovalStatus expected, CancellationToken cancellationToken)
        {
            if (!state.Approvals.TryGetValue(approval.Id, out var current) || current.Status != expected)
            {
                return Task.FromResult(false);
            }

            state.Approvals[approval.Id] = approval;
            return Task.FromResult(true);
        }

        public Task<bool> TryEnqueueNotificationAsync(OutboxNotification notification, CancellationToken cancellationToken)
        {
            if (state.Notifications.Values.Any(n => n.Channel == notification.Channel && n.EventKey == notification.EventKey))
            {
                return Task.FromResult(false);
            }

            var stored = notification with { Id = state.NextId++ };
            state.Notifications[stored.Id] = stored;
            return Task.FromResult(true);
        }

        public Task UpdateNotificationAsync(OutboxNotification notification, CancellationToken cancellationToken)
        {
            Replace(state.Notifications, notification.Id, notification);
            return Task.CompletedTask;
        }

        public Task<bool> TryInsertAlertAsync(ReceivedAlert alert, CancellationToken cancellationToken)
        {
            var stored = state.Alerts.FindIndex(a => a.Fingerprint == alert.Fingerprint && a.Status == alert.Status && a.StartsAt == alert.StartsAt);
            if (stored >= 0)
            {
                if (state.Alerts[stored].LastSeenAt < alert.ReceivedAt)
                {
                    state.Alerts[stored] = state.Alerts[stored] with { LastSeenAt = alert.ReceivedAt };
                }

                return Task.FromResult(false);
            }

            state.Alerts.Add(alert with { Id = state.NextId++, LastSeenAt = alert.ReceivedAt });
            return Task.FromResult(true);
        }

        // The SQL stores' prune, in LINQ: the contract tests hold both to the same answers.
        public Task<int> PruneAlertsAsync(AlertPrune prune, CancellationToken cancellationToken)
        {
            var cut = state.Alerts.OrderByDescending(a => a.Id).Skip(prune.Keep).Select(a => (long?)a.Id).FirstOrDefault();
            bool StillFiring(ReceivedAlert a) =>
                a.Status == "firing" && a.Target is not null && (a.EndsAt is not { } ends || ends > prune.Now)
                && !state.Alerts.Any(later => later.Fingerprint == a.Fingerprint && later.Status == "resolved" && later.StartsAt >= a.StartsAt);
            return Task.FromResult(state.Alerts.RemoveAll(a => a.LastSeenAt < prune.SeenBefore || (a.Id <= cut && !StillFiring(a))));
        }

        public Task MarkBadRevisionAsync(string target, string resource, string revision, long? incidentId, DateTimeOffset at, CancellationToken cancellationToken)
        {
            state.BadRevisions.Add((target, resource, revision));
            return Task.CompletedTask;
        }

        public Task RecordKnownGoodAsync(KnownGoodRevision revision, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(revision);
            state.KnownGood.RemoveAll(k => k.Target == revision.Target && k.Resource == revision.Resource && k.TemplateHash == revision.TemplateHash);
            state.KnownGood.Add(revision);
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            lock (store._gate)
            {
                store._state = state;
            }

            Finish();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Finish();
            return ValueTask.CompletedTask;
        }

        private void Finish()
        {
            if (!_done)
            {
                _done = true;
                store._writer.Release();
            }
        }

        private static void Replace<TKey, TValue>(Dictionary<TKey, TValue> table, TKey key, TValue value)
            where TKey : notnull
        {
            if (!table.ContainsKey(key))
            {
                throw new InvalidOperationException($"no row {key} to update");
            }

            table[key] = value;
        }
    }
}
