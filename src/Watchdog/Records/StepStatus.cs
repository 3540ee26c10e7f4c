namespace Watchdog.Records;

/// <summary>Where one step of a plan stands; stored by <see cref="StepStatuses.ToName"/>.</summary>
internal enum StepStatus
{
    Pending,

    /// <summary>Journalled before the action ran; if the process stops now, recovery finds it here.</summary>
    Started,

    Succeeded,
    Failed,
    Interrupted,
    SkippedDryRun,

    /// <summary>Not run because an earlier step failed or the run was rejected.</summary>
    NotRun,
}
