namespace Watchdog.Records;

/// <summary>Where a plan run stands; stored by <see cref="ActionRunStatuses.ToName"/>.</summary>
internal enum ActionRunStatus
{
    /// <summary>Waiting for a person with enough authority.</summary>
    AwaitingApproval,

    Running,
    Succeeded,
    Failed,

    /// <summary>Someone rejected the approval; nothing ran.</summary>
    Rejected,

    /// <summary>The process stopped while a step that cannot be safely repeated was under way.</summary>
    Interrupted,

    /// <summary>Dry run: decided, recorded and notified; nothing was changed.</summary>
    DryRun,

    /// <summary>Held back by a safety rail (cooldown, budget, known-bad revision).</summary>
    Skipped,
}
