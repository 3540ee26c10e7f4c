using System.Data.Common;
using Watchdog.Incidents;
using Watchdog.Records;
using static Watchdog.IntegrationTests.Store.StoreSamples;

namespace Watchdog.IntegrationTests.Store;

/// <summary>
/// The contract, plus what only a real database shows: how values are stored, the schema's bookkeeping,
/// several store objects (processes) over one database.
/// </summary>
public abstract class SqlStoreContractTests : StoreContractTests
{
    /// <summary>Where the current test's database is (a file path or a connection string).</summary>
    protected string Location { get; private set; } = "";

    /// <summary>An empty database of its own for one test.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    private protected abstract IWatchdogStore Open(string location);

    /// <summary>A plain connection, to look at the rows as the database holds them.</summary>
    protected abstract Task<DbConnection> OpenRawAsync(string location);

    private protected override async Task<IWatchdogStore> CreateStoreAsync()
    {
        Location = await CreateDatabaseAsync();
        return Open(Location);
    }

    [Fact]
    public async Task Rows_HoldEnumsByName_TimesAsUnixMilliseconds_AndParametersAsJson()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(
            Incident() with { TriggerAction = Rules.DecisionAction.ScaleThenRollback, TriggerAuthority = Rules.Authority.OnCall }, Ct));
        var run = await InTransactionAsync(tx => tx.InsertRunAsync(Run(incident.Id) with { Status = ActionRunStatus.AwaitingApproval }, Ct));
        await InTransactionAsync(tx => tx.InsertStepAsync(Step(run.Id, 0), Ct));

        var row = await QueryRowAsync("SELECT status, trigger_action, trigger_authority, detected_at FROM incidents");
        row.ShouldBe(["open", "scale-then-rollback", "on-call", T0.ToUnixTimeMilliseconds()]);
        (await QueryRowAsync("SELECT status FROM action_runs")).ShouldBe(["awaiting-approval"]);
        (await QueryRowAsync("SELECT parameters FROM action_steps")).ShouldBe(["""{"url":"http://127.0.0.1:9/hook","index":"0"}"""]);
    }

    [Fact]
    public async Task Times_KeepMilliseconds_DropFinerTicks_AndReadBackAsUtc()
    {
        var detected = new DateTimeOffset(2026, 3, 14, 11, 26, 53, 589, TimeSpan.FromHours(2)).AddTicks(4321);

        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident() with { DetectedAt = detected }, Ct));

        var read = (await Store.GetIncidentAsync(incident.Id, Ct))!.DetectedAt;
        read.ShouldBe(T0);
        read.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task Migrate_RecordsEachVersionOnce()
    {
        await Store.MigrateAsync(Ct);

        await using var connection = await OpenRawAsync(Location);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, applied_at FROM schema_migrations";
        var rows = new List<(long Version, long AppliedAt)>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                rows.Add((Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(1)));
            }
        }

        rows.Select(r => r.Version).Order().ShouldBe([1L, 2L, 3L, 4L, 5L]);
        // The database's clock, not ours: only plausibility can be checked (after this code was written).
        rows[0].AppliedAt.ShouldBeGreaterThan(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Migrate_TwoProcessesStartingAtOnceOnAnEmptyDatabase_BothSucceed()
    {
        var location = await CreateDatabaseAsync();
        await using var first = Open(location);
        await using var second = Open(location);

        await Task.WhenAll(first.MigrateAsync(Ct), second.MigrateAsync(Ct));

        await using var tx = await first.BeginAsync(Ct);
        var incident = await tx.InsertIncidentAsync(Incident(), Ct);
        await tx.CommitAsync(Ct);
        (await second.GetIncidentAsync(incident.Id, Ct)).ShouldBe(incident);
    }

    [Fact]
    public async Task Data_OutlivesTheStoreObject()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        await InTransactionAsync(tx => tx.AppendEventAsync(new IncidentEvent(incident.Id, At(1), IncidentEventKind.Detected, "detected"), Ct));

        await using var reopened = Open(Location);
        await reopened.MigrateAsync(Ct);

        (await reopened.GetOpenIncidentAsync("checkout", Ct)).ShouldBe(incident);
        (await reopened.GetTimelineAsync(incident.Id, Ct)).Single().Summary.ShouldBe("detected");
    }

    [Fact]
    public async Task Migrate_UpgradesADatabaseFromTheVersionBefore_KeepingItsRows()
    {
        // What an older Watchdog left: schema version 1 only, with an incident in it.
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        await UndoAlertsLastSeenAsync();
        await ExecuteRawAsync("DROP TABLE known_good_revisions");
        await ExecuteRawAsync("DELETE FROM schema_migrations WHERE version = 2");

        await using var upgraded = Open(Location);
        await upgraded.MigrateAsync(Ct);

        (await upgraded.GetIncidentAsync(incident.Id, Ct)).ShouldBe(incident);
        var good = new KnownGoodRevision("checkout", "deployment/default/checkout", "1", "aaa", At(0), At(600));
        await using (var tx = await upgraded.BeginAsync(Ct))
        {
            await tx.RecordKnownGoodAsync(good, Ct);
            await tx.CommitAsync(Ct);
        }

        (await upgraded.ListKnownGoodAsync("checkout", "deployment/default/checkout", Ct)).ShouldBe([good]);
    }

    [Fact]
    public async Task Migrate_FromVersion2_GivesStoredAlertsTheirReceiptAsTheirLastSeenTime()
    {
        await InTransactionAsync(tx => tx.TryInsertAlertAsync(Alert("fp1", receivedAt: 42), Ct));
        await UndoAlertsLastSeenAsync();

        await using var upgraded = Open(Location);
        await upgraded.MigrateAsync(Ct);

        var alert = (await upgraded.ListAlertsAsync(10, Ct)).ShouldHaveSingleItem();
        alert.LastSeenAt.ShouldBe(At(42));
        await using var tx = await upgraded.BeginAsync(Ct);
        (await tx.PruneAlertsAsync(new AlertPrune(At(100), At(43), Keep: 10), Ct)).ShouldBe(1, "aged by the time it was received");
    }

    [Fact]
    public async Task Migrate_FromVersion3_KeepsIncidentsWithNoBreachStartAndThenStoresIt()
    {
        var old = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        await UndoBreachStartedAsync();

        await using var upgraded = Open(Location);
        await upgraded.MigrateAsync(Ct);

        (await upgraded.GetIncidentAsync(old.Id, Ct)).ShouldBe(old with { BreachStartedAt = null });
        await using var tx = await upgraded.BeginAsync(Ct);
        await tx.UpdateIncidentAsync(old with { BreachStartedAt = At(-30) }, Ct);
        await tx.CommitAsync(Ct);
        (await upgraded.GetIncidentAsync(old.Id, Ct))!.BreachStartedAt.ShouldBe(At(-30));
    }

    [Fact]
    public async Task Migrate_FromVersion4_AddsTheLeaderEpochs_KeepingEverythingElse()
    {
        var old = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        await UndoLeaderEpochsAsync();

        await using var upgraded = Open(Location);
        await upgraded.MigrateAsync(Ct);

        (await upgraded.GetIncidentAsync(old.Id, Ct)).ShouldBe(old);
        var epochs = (Watchdog.Records.ILeaderEpochStore)upgraded;
        (await epochs.IncrementLeaderEpochAsync("watchdog", "replica-0", At(0), Ct)).Epoch.ShouldBe(1);
        (await epochs.AdvanceLeaderEpochAsync("watchdog", 0, "replica-1", At(1), Ct)).ShouldBeNull("an earlier epoch is refused");
        (await epochs.AdvanceLeaderEpochAsync("watchdog", 3, "replica-1", At(2), Ct))!.Epoch.ShouldBe(3);
        (await epochs.GetLeaderEpochAsync("watchdog", Ct)).ShouldBe(new Watchdog.Records.LeaderEpoch("watchdog", 3, "replica-1", At(2)));
    }

    // Back to schema version 4, as the Watchdog before high availability left it.
    private async Task UndoLeaderEpochsAsync()
    {
        await ExecuteRawAsync("DROP TABLE leader_epochs");
        await ExecuteRawAsync("DELETE FROM schema_migrations WHERE version = 5");
    }

    // Back to schema version 3, as the Watchdog before breach starts left it.
    private async Task UndoBreachStartedAsync()
    {
        await UndoLeaderEpochsAsync();
        await ExecuteRawAsync("ALTER TABLE incidents DROP COLUMN breach_started_at");
        await ExecuteRawAsync("DELETE FROM schema_migrations WHERE version = 4");
    }

    // Back to schema version 2, as the Watchdog before alert retention left it.
    private async Task UndoAlertsLastSeenAsync()
    {
        await UndoBreachStartedAsync();
        await ExecuteRawAsync("DROP INDEX ix_alerts_last_seen_at");
        await ExecuteRawAsync("ALTER TABLE alerts DROP COLUMN last_seen_at");
        await ExecuteRawAsync("DELETE FROM schema_migrations WHERE version = 3");
    }

    [Fact]
    public async Task Migrate_RefusesADatabaseFromANewerWatchdog()
    {
        await ExecuteRawAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)");

        var error = await Should.ThrowAsync<InvalidOperationException>(() => Store.MigrateAsync(Ct));

        error.Message.ShouldContain("schema version 999");
    }

    [Fact]
    public async Task ReferencesToRowsThatDoNotExist_AreRefused()
    {
        await using var tx = await Store.BeginAsync(Ct);

        await Should.ThrowAsync<DbException>(() => tx.AppendEventAsync(new IncidentEvent(4242, At(0), IncidentEventKind.Detected, "orphan"), Ct));
    }

    protected async Task<object[]> QueryRowAsync(string sql)
    {
        await using var connection = await OpenRawAsync(Location);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        (await reader.ReadAsync(Ct)).ShouldBeTrue($"no row from {sql}");
        var values = new object[reader.FieldCount];
        reader.GetValues(values);
        return values;
    }

    protected async Task ExecuteRawAsync(string sql)
    {
        await using var connection = await OpenRawAsync(Location);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
