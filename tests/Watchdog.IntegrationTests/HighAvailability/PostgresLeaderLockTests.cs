using Npgsql;
using Watchdog.Fencing;
using Watchdog.IntegrationTests.Servers;
using Watchdog.IntegrationTests.Store;
using Watchdog.Leadership;
using Watchdog.Records;
using Watchdog.Store;

namespace Watchdog.IntegrationTests.HighAvailability;

/// <summary>
/// The PostgreSQL backend on a real PostgreSQL 15: one session holds the advisory lock, each win moves the epoch on, a
/// lost session (ended by the server, as for a paused replica) frees the lock, and a transaction committed under an
/// epoch that is over is refused whole.
/// </summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresLeaderLockTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);
    private string _database = "";
    private IWatchdogStore _store = null!;

    private ILeaderEpochStore Epochs => (ILeaderEpochStore)_store;

    public async Task InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        _store = WatchdogStoreFactory.OpenPostgres(_database);
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private PostgresAdvisoryLock Lock(string identity, TimeSpan? lease = null) =>
        new(_database, "watchdog", identity, lease ?? Lease, Epochs, TimeProvider.System);

    [Fact]
    public async Task OneSessionHoldsIt_TheOtherSeesWho_AndReleasingHandsItOverAtTheNextEpoch()
    {
        await using var first = Lock("watchdog-0_aa");
        await using var second = Lock("watchdog-1_bb");

        var won = await first.TryAcquireOrRenewAsync(CancellationToken.None);
        var lost = await second.TryAcquireOrRenewAsync(CancellationToken.None);
        var renewed = await first.TryAcquireOrRenewAsync(CancellationToken.None);

        won.ShouldBe(won with { Held = true, Epoch = 1, Holder = "watchdog-0_aa" });
        lost.Held.ShouldBeFalse();
        lost.Holder.ShouldBe("watchdog-0_aa");
        lost.Error.ShouldBeNull("someone else holding it is not an error");
        renewed.Held.ShouldBeTrue();
        renewed.Epoch.ShouldBe(1);

        await first.ReleaseAsync(CancellationToken.None);
        var taken = await second.TryAcquireOrRenewAsync(CancellationToken.None);

        taken.Held.ShouldBeTrue();
        taken.Epoch.ShouldBe(2);
        (await Epochs.GetLeaderEpochAsync("watchdog", CancellationToken.None))!.Holder.ShouldBe("watchdog-1_bb");
    }

    [Fact]
    public async Task SessionEndedByTheServer_TheHolderLearnsItAtItsNextRenewal_AndAnotherTakesOver()
    {
        await using var first = Lock("watchdog-0_aa");
        await using var second = Lock("watchdog-1_bb");
        (await first.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeTrue();

        await using (var admin = new NpgsqlConnection(_database))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                $"SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = {PostgresAdvisoryLock.KeyOf("watchdog") & 0xFFFFFFFF}", admin);
            await kill.ExecuteScalarAsync();
        }

        var renewal = await first.TryAcquireOrRenewAsync(CancellationToken.None);
        var taken = await WinAsync(second, "the second session wins the lock");

        renewal.Held.ShouldBeFalse();
        renewal.Error.ShouldNotBeNull();
        taken.Epoch.ShouldBe(2);
    }

    [Fact]
    public async Task HolderThatStopsRenewing_LosesTheLockAfterOneLeaseDuration_AsAPausedReplicaWould()
    {
        // A paused process keeps its TCP connection; idle_session_timeout is what ends its session, and with it the lock.
        await using var paused = Lock("watchdog-0_aa", TimeSpan.FromSeconds(1));
        await using var second = Lock("watchdog-1_bb", TimeSpan.FromSeconds(1));
        (await paused.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeTrue();
        (await second.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeFalse();

        var taken = await WinAsync(second, "the lock freed by the server is won");

        taken.Epoch.ShouldBe(2);
        (await paused.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeFalse("its session is gone, and the lock with it");
    }

    [Fact]
    public async Task CommitUnderAnEpochThatIsOver_IsRefused_AndNothingOfTheTransactionLands()
    {
        await using var first = Lock("watchdog-0_aa");
        var epoch = (await first.TryAcquireOrRenewAsync(CancellationToken.None)).Epoch;
        var fence = new WriteFence("watchdog", epoch, () => true);
        using (WriteFence.Enter(fence))
        {
            await using var transaction = await _store.BeginAsync(CancellationToken.None);
            await transaction.InsertIncidentAsync(StoreSamples.Incident("checkout"), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        // Another replica wins the next term (the first is, say, paused): its epoch fences the first's late writes.
        await Epochs.IncrementLeaderEpochAsync("watchdog", "watchdog-1_bb", TimeProvider.System.GetUtcNow(), CancellationToken.None);
        using (WriteFence.Enter(fence))
        {
            await using var late = await _store.BeginAsync(CancellationToken.None);
            await late.InsertIncidentAsync(StoreSamples.Incident("payments"), CancellationToken.None);
            var refused = await Should.ThrowAsync<DeposedException>(() => late.CommitAsync(CancellationToken.None));
            refused.Message.ShouldBe("store write refused: this replica led at epoch 1 of watchdog, and the store is at epoch 2");
        }

        var stored = await _store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None);
        stored.Select(i => i.Target).ShouldBe(["checkout"]);

        // Unfenced work (a follower's webhook or approval) still writes.
        await using (var unfenced = await _store.BeginAsync(CancellationToken.None))
        {
            await unfenced.InsertIncidentAsync(StoreSamples.Incident("payments"), CancellationToken.None);
            await unfenced.CommitAsync(CancellationToken.None);
        }

        (await _store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Count.ShouldBe(2);
    }

    private static async Task<LeaderLockAttempt> WinAsync(PostgresAdvisoryLock contender, string what)
    {
        var attempt = default(LeaderLockAttempt);
        await Eventually.HoldsAsync(async () => (attempt = await contender.TryAcquireOrRenewAsync(CancellationToken.None)).Held, what);
        return attempt;
    }
}
