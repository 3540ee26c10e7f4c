using System.Data.Common;
using Watchdog.Fencing;
using Watchdog.Records;

namespace Watchdog.Store;

/// <summary>One connection and one database transaction; disposing without commit rolls back.</summary>
internal sealed class SqlStoreTransaction(DbConnection connection, DbTransaction transaction, ISqlDialect dialect) : IStoreTransaction
{
    private const string UniqueGuard = "unique_guard";

    public async Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken)
    {
        await using var command = Command($"{IncidentTable.Select} WHERE target = @target AND status = 'open'").With("@target", target);
        return await command.ReadOneAsync(IncidentTable.Read, cancellationToken);
    }

    public Task<Incident> InsertIncidentAsync(Incident incident, CancellationToken cancellationToken) =>
        GuardUniqueAsync(
            async () =>
            {
                await using var command = IncidentTable.Bind(Command(IncidentTable.Insert), incident);
                return incident with { Id = await InsertedIdAsync(command, cancellationToken) };
            },
            $"target '{incident.Target}' already has an open incident",
            cancellationToken);

    public Task UpdateIncidentAsync(Incident incident, CancellationToken cancellationToken) =>
        GuardUniqueAsync(
            async () =>
            {
                await using var command = IncidentTable.Bind(Command(IncidentTable.Update), incident);
                await UpdateOneAsync(command, $"incident {incident.Id}", cancellationToken);
                return true;
            },
            $"target '{incident.Target}' already has an open incident",
            cancellationToken);

    public async Task<IncidentEvent> AppendEventAsync(IncidentEvent incidentEvent, CancellationToken cancellationToken)
    {
        await using var command = IncidentEventTable.Bind(Command(IncidentEventTable.Insert), incidentEvent);
        return incidentEvent with { Id = await InsertedIdAsync(command, cancellationToken) };
    }

    public async Task<DecisionRecord> InsertDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken)
    {
        await using var command = DecisionTable.Bind(Command(DecisionTable.Insert), decision);
        return decision with { Id = await InsertedIdAsync(command, cancellationToken) };
    }

    public async Task<ActionRun> InsertRunAsync(ActionRun run, CancellationToken cancellationToken)
    {
        await using var command = ActionRunTable.Bind(Command(ActionRunTable.Insert), run);
        return run with { Id = await InsertedIdAsync(command, cancellationToken) };
    }

    public async Task UpdateRunAsync(ActionRun run, CancellationToken cancellationToken)
    {
        await using var command = ActionRunTable.Bind(Command(ActionRunTable.Update), run);
        await UpdateOneAsync(command, $"run {run.Id}", cancellationToken);
    }

    public Task InsertStepAsync(ActionStep actionStep, CancellationToken cancellationToken) =>
        GuardUniqueAsync(
            async () =>
            {
                await using var command = ActionStepTable.Bind(Command(ActionStepTable.Insert), actionStep);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            $"step {actionStep.Index} of run {actionStep.RunId} exists",
            cancellationToken);

    public async Task UpdateStepAsync(ActionStep actionStep, CancellationToken cancellationToken)
    {
        await using var command = ActionStepTable.Bind(Command(ActionStepTable.Update), actionStep);
        await UpdateOneAsync(command, $"step {actionStep.Index} of run {actionStep.RunId}", cancellationToken);
    }

    public async Task<Approval> InsertApprovalAsync(Approval approval, CancellationToken cancellationToken)
    {
        await using var command = ApprovalTable.Bind(Command(ApprovalTable.Insert), approval);
        return approval with { Id = await InsertedIdAsync(command, cancellationToken) };
    }

    public async Task<bool> UpdateApprovalAsync(Approval approval, ApprovalStatus expected, CancellationToken cancellationToken)
    {
        await using var command = ApprovalTable.Bind(Command(ApprovalTable.UpdateIfStatus), approval).With("@expected", expected.ToName());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> TryEnqueueNotificationAsync(OutboxNotification notification, CancellationToken cancellationToken)
    {
        await using var command = NotificationTable.Bind(Command(NotificationTable.InsertUnlessQueued), notification);
        return await command.ExecuteScalarAsync(cancellationToken) is not (null or DBNull);
    }

    public async Task UpdateNotificationAsync(OutboxNotification notification, CancellationToken cancellationToken)
    {
        await using var command = NotificationTable.Bind(Command(NotificationTable.Update), notification);
        await UpdateOneAsync(command, $"notification {notification.Id}", cancellationToken);
    }

    public async Task<bool> TryInsertAlertAsync(ReceivedAlert alert, CancellationToken cancellationToken)
    {
        await using var command = AlertTable.Bind(Command(AlertTable.InsertUnlessStored), alert);
        if (await command.ExecuteScalarAsync(cancellationToken) is not (null or DBNull))
        {
            return true;
        }

        await using var renew = Command(AlertTable.RenewStored)
            .With("@received_at", alert.ReceivedAt)
            .With("@fingerprint", alert.Fingerprint)
            .With("@status", alert.Status)
            .With("@starts_at", alert.StartsAt);
        await renew.ExecuteNonQueryAsync(cancellationToken);
        return false;
    }

    public async Task<int> PruneAlertsAsync(AlertPrune prune, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prune);
        await using var command = Command(AlertTable.Prune)
            .With("@seen_before", prune.SeenBefore)
            .With("@keep", prune.Keep)
            .With("@now", prune.Now)
            .With("@firing", "firing")
            .With("@resolved", "resolved");
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkBadRevisionAsync(string target, string resource, string revision, long? incidentId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // The first mark wins: its incident is the one that found the revision bad.
        await using var command = Command("""
            INSERT INTO bad_revisions (target, resource, revision, incident_id, marked_at)
            VALUES (@target, @resource, @revision, @incident_id, @marked_at)
            ON CONFLICT (target, resource, revision) DO NOTHING
            """)
            .With("@target", target)
            .With("@resource", resource)
            .With("@revision", revision)
            .With("@incident_id", incidentId)
            .With("@marked_at", at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordKnownGoodAsync(KnownGoodRevision revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        await using var command = KnownGoodTable.Bind(Command(KnownGoodTable.Upsert), revision);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Commits; under a <see cref="WriteFence"/> only if the store's epoch is still the fence's, read with the row held
    /// until the commit so that a new leader's increment cannot slip in between. Refused: rolled back (on dispose) and
    /// <see cref="DeposedException"/>, so nothing the deposed leader did in this transaction lands.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (WriteFence.Current is { } fence)
        {
            await CheckFenceAsync(fence, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task CheckFenceAsync(WriteFence fence, CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT epoch FROM leader_epochs WHERE name = @name{dialect.ForShare}").With("@name", fence.Name);
        var stored = await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : (long?)null;
        if (stored != fence.Epoch)
        {
            throw fence.Refuse($"store write refused: this replica led at epoch {fence.Epoch} of {fence.Name}, and the store is at epoch {stored?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        WriteFence.ThrowIfDeposed("store write");
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private DbCommand Command(string sql) => connection.Command(sql, transaction);

    private static async Task<long> InsertedIdAsync(DbCommand command, CancellationToken cancellationToken) =>
        Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task UpdateOneAsync(DbCommand command, string what, CancellationToken cancellationToken)
    {
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InvalidOperationException($"no {what} to update");
        }
    }

    // A savepoint around writes that may break a unique index: PostgreSQL aborts the whole transaction on a
    // violation, SQLite only the statement. Rolling back to the savepoint makes both leave the transaction
    // usable, so the caller can react to the conflict (e.g. read the incident that won) and still commit.
    private async Task<T> GuardUniqueAsync<T>(Func<Task<T>> write, string conflict, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync(UniqueGuard, cancellationToken);
        try
        {
            var result = await write();
            await transaction.ReleaseAsync(UniqueGuard, cancellationToken);
            return result;
        }
        catch (DbException exception) when (dialect.IsUniqueViolation(exception))
        {
            await transaction.RollbackAsync(UniqueGuard, cancellationToken);
            throw new StoreConflictException(conflict, exception);
        }
    }
}
