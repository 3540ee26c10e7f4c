namespace Watchdog.Records;

/// <summary>
/// The epoch the store's fenced writes are checked against (<c>leader_epochs</c>): a new leader moves it on before it
/// acts, and from then on a transaction committed under an older epoch is refused.
/// </summary>
internal interface ILeaderEpochStore
{
    Task<LeaderEpoch?> GetLeaderEpochAsync(string name, CancellationToken cancellationToken);

    /// <summary>The PostgreSQL lock's acquisition: the epoch one past the stored one (1 for the first), recorded for <paramref name="holder"/>.</summary>
    Task<LeaderEpoch> IncrementLeaderEpochAsync(string name, string holder, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// The Kubernetes Lease's acquisition: records <paramref name="epoch"/> (its <c>leaseTransitions</c>) unless the store
    /// already holds a later one; null when it does, which means another replica won a later term.
    /// </summary>
    Task<LeaderEpoch?> AdvanceLeaderEpochAsync(string name, long epoch, string holder, DateTimeOffset at, CancellationToken cancellationToken);
}
