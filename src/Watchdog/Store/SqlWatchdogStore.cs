using System.Data.Common;
using System.Globalization;
using System.Text;
using Watchdog.Records;

namespace Watchdog.Store;

/// <summary>
/// The store over ADO.NET, the same SQL on SQLite and PostgreSQL; <see cref="ISqlDialect"/> holds the few
/// differences. Each read opens a pooled connection of its own; each transaction holds one until disposed.
/// </summary>
internal sealed partial class SqlWatchdogStore(DbDataSource dataSource, ISqlDialect dialect, string description) : IWatchdogStore, ILeaderEpochStore
{
    public string Describe() => description;

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (dialect.BeforeMigration is { } before)
        {
            await using var command = connection.Command(before);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        if (dialect.MigrationLock is { } migrationLock)
        {
            await ExecuteAsync(migrationLock);
        }

        await ExecuteAsync(StoreSchema.CreateMigrationsTable);
        await using (var command = connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction))
        {
            var current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            var latest = StoreSchema.Migrations[^1].Version;
            if (current > latest)
            {
                throw new InvalidOperationException(
                    $"{description} has schema version {current}, newer than this Watchdog knows ({latest}); upgrade Watchdog");
            }

            foreach (var migration in StoreSchema.Migrations.Where(m => m.Version > current))
            {
                await ExecuteAsync(migration.RenderFor(dialect));
                await using var record = connection.Command(
                    $"INSERT INTO schema_migrations (version, applied_at) VALUES (@version, {dialect.UnixMillisecondsNow})",
                    transaction).With("@version", migration.Version);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);

        async Task ExecuteAsync(string sql)
        {
            await using var command = connection.Command(sql, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
            return new SqlStoreTransaction(connection, transaction, dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<Incident?> GetIncidentAsync(long id, CancellationToken cancellationToken) =>
        ReadOneAsync($"{IncidentTable.Select} WHERE id = @id", c => c.With("@id", id), IncidentTable.Read, cancellationToken);

    public Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken) =>
        ReadOneAsync(
            $"{IncidentTable.Select} WHERE target = @target AND status = 'open'",
            c => c.With("@target", target),
            IncidentTable.Read,
            cancellationToken);

    public async Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("");
        var where = new List<string>();
        if (query.Status is { } status)
        {
            where.Add("status = @status");
            command.With("@status", status.ToName());
        }

        if (query.Target is { } target)
        {
            where.Add("target = @target");
            command.With("@target", target);
        }

        if (query.Since is { } since)
        {
            where.Add("detected_at >= @since");
            command.With("@since", since);
        }

        command.With("@limit", query.Limit);
        command.CommandText = $"{IncidentTable.Select}{Where(where)} ORDER BY detected_at DESC, id DESC LIMIT @limit";
        return await command.ReadAllAsync(IncidentTable.Read, cancellationToken);
    }

    public Task<IReadOnlyList<IncidentEvent>> GetTimelineAsync(long incidentId, CancellationToken cancellationToken) =>
        ReadAllAsync(
            $"{IncidentEventTable.Select} WHERE incident_id = @incident_id ORDER BY id",
            c => c.With("@incident_id", incidentId),
            IncidentEventTable.Read,
            cancellationToken);

    public async Task<IReadOnlyList<DecisionRecord>> ListDecisionsAsync(string? target, long? incidentId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("");
        var where = new List<string>();
        if (target is not null)
        {
            where.Add("target = @target");
            command.With("@target", target);
        }

        if (incidentId is not null)
        {
            where.Add("incident_id = @incident_id");
            command.With("@incident_id", incidentId);
        }

        command.With("@limit", limit);
        command.CommandText = $"{DecisionTable.Select}{Where(where)} ORDER BY at DESC, id DESC LIMIT @limit";
        return await command.ReadAllAsync(DecisionTable.Read, cancellationToken);
    }

    public Task<ActionRun?> GetRunAsync(long id, CancellationToken cancellationToken) =>
        ReadOneAsync($"{ActionRunTable.Select} WHERE id = @id", c => c.With("@id", id), ActionRunTable.Read, cancellationToken);

    public Task<IReadOnlyList<ActionStep>> GetStepsAsync(long runId, CancellationToken cancellationToken) =>
        ReadAllAsync(
            $"{ActionStepTable.Select} WHERE run_id = @run_id ORDER BY step_index",
            c => c.With("@run_id", runId),
            ActionStepTable.Read,
            cancellationToken);

    public async Task<IReadOnlyList<ActionRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("");
        var where = new List<string>();
        if (query.Target is { } target)
        {
            where.Add("target = @target");
            command.With("@target", target);
        }

        if (query.IncidentId is { } incidentId)
        {
            where.Add("incident_id = @incident_id");
            command.With("@incident_id", incidentId);
        }

        if (query.Statuses is { } statuses)
        {
            // An empty list matches no run, as "status in {}" would.
            var names = statuses.Select((s, i) => (Name: $"@status{i}", Value: s.ToName())).ToList();
            where.Add(names.Count == 0 ? "1 = 0" : $"status IN ({string.Join(", ", names.Select(n => n.Name))})");
            foreach (var (name, value) in names)
            {
                command.With(name, value);
            }
        }

        if (query.Since is { } since)
        {
            where.Add("created_at >= @since");
            command.With("@since", since);
        }

        command.With("@limit", query.Limit);
        command.CommandText = $"{ActionRunTable.Select}{Where(where)} ORDER BY created_at, id LIMIT @limit";
        return await command.ReadAllAsync(ActionRunTable.Read, cancellationToken);
    }

    public Task<Approval?> GetApprovalAsync(long id, CancellationToken cancellationToken) =>
        ReadOneAsync($"{ApprovalTable.Select} WHERE id = @id", c => c.With("@id", id), ApprovalTable.Read, cancellationToken);

    public Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalStatus? status, CancellationToken cancellationToken) =>
        status is { } wanted
            ? ReadAllAsync(
                $"{ApprovalTable.Select} WHERE status = @status ORDER BY requested_at, id",
                c => c.With("@status", wanted.ToName()),
                ApprovalTable.Read,
                cancellationToken)
            : ReadAllAsync($"{ApprovalTable.Select} ORDER BY requested_at, id", _ => { }, ApprovalTable.Read, cancellationToken);

    public async Task<IReadOnlyList<OutboxNotification>> ListNotificationsAsync(NotificationStatus? status, long? incidentId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("");
        var where = new List<string>();
        if (status is { } wanted)
        {
            where.Add("status = @status");
            command.With("@status", wanted.ToName());
        }

        if (incidentId is not null)
        {
            where.Add("incident_id = @incident_id");
            command.With("@incident_id", incidentId);
        }

        command.With("@limit", limit);
        command.CommandText = $"{NotificationTable.Select}{Where(where)} ORDER BY created_at, id LIMIT @limit";
        return await command.ReadAllAsync(NotificationTable.Read, cancellationToken);
    }

    public Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, CancellationToken cancellationToken) =>
        ReadAllAsync(
            $"{AlertTable.Select} ORDER BY received_at DESC, id DESC LIMIT @limit",
            c => c.With("@limit", limit),
            AlertTable.Read,
            cancellationToken);

    public Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, AlertCursor before, CancellationToken cancellationToken) =>
        ReadAllAsync(
            $"{AlertTable.Select} WHERE received_at < @at OR (received_at = @at AND id < @id) ORDER BY received_at DESC, id DESC LIMIT @limit",
            c => c.With("@at", before.ReceivedAt).With("@id", before.Id).With("@limit", limit),
            AlertTable.Read,
            cancellationToken);

    public Task<IReadOnlyList<ReceivedAlert>> ListAlertsSeenSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        ReadAllAsync(
            $"{AlertTable.Select} WHERE last_seen_at >= @since ORDER BY last_seen_at, id LIMIT @limit",
            c => c.With("@since", since).With("@limit", limit),
            AlertTable.Read,
            cancellationToken);

    public async Task<bool> IsBadRevisionAsync(string target, string resource, string revision, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT COUNT(*) FROM bad_revisions WHERE target = @target AND resource = @resource AND revision = @revision")
            .With("@target", target)
            .With("@resource", resource)
            .With("@revision", revision);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    public Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string target, string resource, CancellationToken cancellationToken) =>
        ReadAllAsync(
            $"{KnownGoodTable.Select} WHERE target = @target AND resource = @resource ORDER BY recorded_at DESC, id DESC",
            c => c.With("@target", target).With("@resource", resource),
            KnownGoodTable.Read,
            cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private static string Where(List<string> conditions) =>
        conditions.Count == 0 ? "" : new StringBuilder(" WHERE ").AppendJoin(" AND ", conditions).ToString();

    private async Task<T?> ReadOneAsync<T>(string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql);
        bind(command);
        return await command.ReadOneAsync(read, cancellationToken);
    }

    private async Task<IReadOnlyList<T>> ReadAllAsync<T>(string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql);
        bind(command);
        return await command.ReadAllAsync(read, cancellationToken);
    }
}
