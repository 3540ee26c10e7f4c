namespace Watchdog.Configuration;

/// <summary>
/// Several replicas with one leader that acts (<c>ha:</c>). The timings are client-go's leader election's, with the
/// defaults Kubernetes' own components use: a lease of 15 s, renewed within 10 s, tried every 2 s.
/// </summary>
internal sealed record HaOptions
{
    public LeaderLockKind Lock { get; init; } = LeaderLockKind.None;

    /// <summary><c>ha.lease_name</c>: the Lease's name (kubernetes) or what the advisory lock's key is derived from (postgres).</summary>
    public string LeaseName { get; init; } = "watchdog";

    /// <summary><c>ha.namespace</c>: the Lease's namespace; null means the pod's (<c>POD_NAMESPACE</c>, the service account's namespace file, or the client's default).</summary>
    public string? Namespace { get; init; }

    /// <summary><c>ha.identity</c>: this replica's name; null means the pod's (<c>POD_NAME</c>, else the host name) and a random suffix.</summary>
    public string? Identity { get; init; }

    /// <summary><c>ha.lease_duration</c>: how long a lease lasts without renewal; a follower takes over after that.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>ha.renew_deadline</c>: a leader that has not renewed for this long stops acting, before its lease can expire elsewhere.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>ha.retry_period</c>: how often the lock is tried or renewed.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>ha.shutdown_grace</c>: on SIGTERM, how long the current step may take to finish before the lock is released.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(20);

    public bool Enabled => Lock != LeaderLockKind.None;

    /// <summary>client-go's rule: lease duration &gt; renew deadline &gt; 1.2 × retry period. Each problem as "key: why".</summary>
    public IEnumerable<string> Validate()
    {
        if (LeaseDuration <= RenewDeadline)
        {
            yield return $"lease_duration: {LeaseDuration.TotalSeconds:0.###}s must be longer than renew_deadline ({RenewDeadline.TotalSeconds:0.###}s), so that a leader stops acting before its lease can pass to another";
        }

        if (RenewDeadline <= RetryPeriod * 1.2)
        {
            yield return $"renew_deadline: {RenewDeadline.TotalSeconds:0.###}s must be longer than 1.2 × retry_period ({RetryPeriod.TotalSeconds:0.###}s), so that a renewal can be retried within it";
        }
    }
}
