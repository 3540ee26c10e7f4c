namespace Watchdog.Leadership;

/// <summary>
/// What replicas compete for. <see cref="TryAcquireOrRenewAsync"/> is called every retry period by the elector alone;
/// a failure to reach the lock is an attempt with <see cref="LeaderLockAttempt.Error"/>, not an exception.
/// </summary>
internal interface ILeaderLock : IAsyncDisposable
{
    /// <summary>For logs and <c>GET /api/v1/ha</c>: <c>lease default/watchdog</c>, <c>postgres advisory lock watchdog</c>.</summary>
    string Describe();

    Task<LeaderLockAttempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken);

    /// <summary>Gives the lock up at once (graceful shutdown), so that a follower need not wait out the lease.</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}
