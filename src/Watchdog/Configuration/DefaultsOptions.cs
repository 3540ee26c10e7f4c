namespace Watchdog.Configuration;

/// <summary>Values a target takes when it does not set its own.</summary>
internal sealed record DefaultsOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    public bool DryRun { get; init; }

    /// <summary>After an action on a target, no further action on it for this long.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many action runs per target in any hour (the budget).</summary>
    public int MaxActionsPerHour { get; init; } = 3;

    /// <summary>An incident closes once its target has been healthy this long after the last action.</summary>
    public TimeSpan RecoveryWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A workload revision becomes known good once its target has been healthy this long with the rollout complete.</summary>
    public TimeSpan VerifyWindow { get; init; } = TimeSpan.FromMinutes(10);
}
