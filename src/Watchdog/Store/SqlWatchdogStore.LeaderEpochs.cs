using System.Data.Common;
using Watchdog.Records;

namespace Watchdog.Store;

/// <summary>The <c>leader_epochs</c> rows: one statement each, the same SQL on both databases (upsert with RETURNING).</summary>
internal sealed partial class SqlWatchdogStore
{
    private const string LeaderColumns = "name, epoch, holder, since";

    public async Task<LeaderEpoch?> GetLeaderEpochAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {LeaderColumns} FROM leader_epochs WHERE name = @name").With("@name", name);
        return await command.ReadOneAsync(ReadLeaderEpoch, cancellationToken);
    }

    public async Task<LeaderEpoch> IncrementLeaderEpochAsync(string name, string holder, DateTimeOffset at, CancellationToken cancellationToken) =>
        await UpsertLeaderEpochAsync(
            "VALUES (@name, 1, @holder, @since) ON CONFLICT (name) DO UPDATE SET epoch = leader_epochs.epoch + 1, holder = excluded.holder, since = excluded.since",
            name, null, holder, at, cancellationToken)
        ?? throw new InvalidOperationException($"leader epoch {name} was not written");

    // The same holder renewing the same term writes again (harmless); an earlier epoch, or this one won by another, is refused.
    public Task<LeaderEpoch?> AdvanceLeaderEpochAsync(string name, long epoch, string holder, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpsertLeaderEpochAsync(
            "VALUES (@name, @epoch, @holder, @since) ON CONFLICT (name) DO UPDATE SET epoch = excluded.epoch, holder = excluded.holder, since = excluded.since " +
            "WHERE leader_epochs.epoch < excluded.epoch OR (leader_epochs.epoch = excluded.epoch AND leader_epochs.holder = excluded.holder)",
            name, epoch, holder, at, cancellationToken);

    private async Task<LeaderEpoch?> UpsertLeaderEpochAsync(
        string values, string name, long? epoch, string holder, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"INSERT INTO leader_epochs ({LeaderColumns}) {values} RETURNING {LeaderColumns}")
            .With("@name", name).With("@holder", holder).With("@since", at);
        if (epoch is { } value)
        {
            command.With("@epoch", value);
        }

        return await command.ReadOneAsync(ReadLeaderEpoch, cancellationToken);
    }

    private static LeaderEpoch ReadLeaderEpoch(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.Time(3));
}
