using Watchdog.Records;

namespace Watchdog.Tests.Leadership;

/// <summary>The store's epoch row in memory, with the same rules as the SQL: advance only forward, or the same holder again.</summary>
internal sealed class ScriptedEpochs : ILeaderEpochStore
{
    public LeaderEpoch? Row { get; set; }

    public Task<LeaderEpoch?> GetLeaderEpochAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Row);

    public Task<LeaderEpoch> IncrementLeaderEpochAsync(string name, string holder, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Row = new LeaderEpoch(name, (Row?.Epoch ?? 0) + 1, holder, at);
        return Task.FromResult(Row);
    }

    public Task<LeaderEpoch?> AdvanceLeaderEpochAsync(string name, long epoch, string holder, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (Row is { } row && (row.Epoch > epoch || (row.Epoch == epoch && row.Holder != holder)))
        {
            return Task.FromResult<LeaderEpoch?>(null);
        }

        Row = new LeaderEpoch(name, epoch, holder, at);
        return Task.FromResult<LeaderEpoch?>(Row);
    }
}
