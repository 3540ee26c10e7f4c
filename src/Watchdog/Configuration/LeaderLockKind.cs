namespace Watchdog.Configuration;

/// <summary>How replicas choose the one that acts (<c>ha.lock</c>).</summary>
internal enum LeaderLockKind
{
    /// <summary>One replica, always the leader (the default, and the only choice with the SQLite store).</summary>
    None,

    /// <summary>A <c>coordination.k8s.io/v1</c> Lease in the pod's namespace.</summary>
    Kubernetes,

    /// <summary>A session-level advisory lock in the PostgreSQL store, with an epoch row.</summary>
    Postgres,
}
