using System.Text;
using Npgsql;
using Watchdog.Records;

namespace Watchdog.Leadership;

/// <summary>
/// A session-level advisory lock on a connection of its own (not pooled: the lock lives as long as that session).
/// PostgreSQL releases it when the session ends, and this process only learns that at the next query, so every renewal
/// runs one: it reads the epoch row back, and a broken connection or an epoch moved on means the lock is lost. Winning
/// it increments the store's epoch, which fences every write of earlier terms.
/// </summary>
/// <remarks>
/// A replica that is paused (SIGSTOP, a frozen VM) keeps its TCP connection open, since the kernel still answers for it,
/// so the session would hold the lock for good. The session therefore sets <c>idle_session_timeout</c> to the lease
/// duration: a leader renews far more often than that, and a paused one has its session, and so its lock, ended by the
/// server after one lease duration, as a Lease would expire.
/// </remarks>
internal sealed class PostgresAdvisoryLock(
    string connectionString, string name, string identity, TimeSpan leaseDuration, ILeaderEpochStore epochs, TimeProvider time) : ILeaderLock
{
    private readonly long _key = KeyOf(name);
    private NpgsqlConnection? _session;
    private long? _epoch;

    public string Describe() => $"postgres advisory lock {name}";

    /// <summary>The lock's key: FNV-1a of the name (kept positive, as pg_locks shows it), so replicas configured alike compete for the same one and nothing else on the database does.</summary>
    public static long KeyOf(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes("watchdog-leader:" + name))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return (long)(hash & 0x7FFF_FFFF_FFFF_FFFFUL);
    }

    public async Task<LeaderLockAttempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            return _epoch is { } epoch ? await RenewAsync(epoch, cancellationToken) : await AcquireAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The session is gone or unusable: whatever it held, PostgreSQL has released or will release with it.
            await DropSessionAsync();
            return LeaderLockAttempt.Failed($"{Describe()}: {ex.Message}");
        }
    }

    private async Task<LeaderLockAttempt> AcquireAsync(CancellationToken cancellationToken)
    {
        var session = await SessionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", session))
        {
            command.Parameters.AddWithValue("key", _key);
            if (await command.ExecuteScalarAsync(cancellationToken) is not true)
            {
                var leader = await epochs.GetLeaderEpochAsync(name, cancellationToken);
                return new LeaderLockAttempt(false, leader?.Epoch ?? 0, leader?.Holder ?? "", leader?.Since);
            }
        }

        var won = await epochs.IncrementLeaderEpochAsync(name, identity, time.GetUtcNow(), cancellationToken);
        _epoch = won.Epoch;
        return new LeaderLockAttempt(true, won.Epoch, identity, won.Since);
    }

    private async Task<LeaderLockAttempt> RenewAsync(long epoch, CancellationToken cancellationToken)
    {
        // On our own session: a query that fails says the session (and with it the lock) is gone.
        await using var command = new NpgsqlCommand(
            "SELECT l.epoch, l.holder, l.since, EXISTS (SELECT 1 FROM pg_locks p WHERE p.locktype = 'advisory' AND p.pid = pg_backend_pid() AND p.granted AND p.objsubid = 1 AND ((p.classid::bigint << 32) | p.objid::bigint) = @key) " +
            "FROM leader_epochs l WHERE l.name = @name",
            await SessionAsync(cancellationToken));
        command.Parameters.AddWithValue("key", _key);
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return await LostAsync("the epoch row is gone");
        }

        var (stored, holder, since, held) = (reader.GetInt64(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetBoolean(3));
        if (!held || stored != epoch)
        {
            return await LostAsync(held ? $"the store is at epoch {stored} (held by {holder})" : "the session no longer holds the lock");
        }

        return new LeaderLockAttempt(true, epoch, identity, since);
    }

    private async Task<LeaderLockAttempt> LostAsync(string why)
    {
        await DropSessionAsync();
        return LeaderLockAttempt.Failed($"{Describe()} lost: {why}");
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_session is { } session && _epoch is not null)
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", session);
                command.Parameters.AddWithValue("key", _key);
                await command.ExecuteScalarAsync(cancellationToken);
            }
            catch (NpgsqlException)
            {
                // By design: closing the session below releases it anyway.
            }
        }

        await DropSessionAsync();
    }

    public ValueTask DisposeAsync() => new(DropSessionAsync());

    private async Task<NpgsqlConnection> SessionAsync(CancellationToken cancellationToken)
    {
        if (_session is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        await DropSessionAsync();
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 5 };
        var session = new NpgsqlConnection(builder.ConnectionString);
        await session.OpenAsync(cancellationToken);
        _session = session;
        var milliseconds = ((long)leaseDuration.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var limit = new NpgsqlCommand($"SET idle_session_timeout = {milliseconds}", session);
        await limit.ExecuteNonQueryAsync(cancellationToken);
        return session;
    }

    private async Task DropSessionAsync()
    {
        _epoch = null;
        if (_session is { } session)
        {
            _session = null;
            await session.DisposeAsync();
        }
    }
}
