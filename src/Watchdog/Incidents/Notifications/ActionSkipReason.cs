namespace Watchdog.Incidents.Notifications;

/// <summary>Which safety rail held a decided action back.</summary>
internal enum ActionSkipReason
{
    /// <summary><c>dry_run</c> is on, globally or for the target: decide, record and notify, change nothing.</summary>
    DryRun,

    /// <summary>The target had an action too recently.</summary>
    Cooldown,

    /// <summary>The target used up its actions for the hour.</summary>
    Budget,

    /// <summary>The target has no plan (no steps) for the decided action.</summary>
    NoPlan,
}
