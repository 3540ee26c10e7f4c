using Watchdog.Records;

namespace Watchdog.Actions;

/// <summary>
/// What people are told about a run, the one way the executor reaches the incident side. Each notice is written
/// inside the caller's transaction, so it exists exactly when the run's record it reports does; the incident side
/// owns the messages, their channels and their de-duplication.
/// </summary>
internal interface IRunNotices
{
    /// <summary>The run was recorded without changing anything: a dry run (<see cref="ActionRunStatus.DryRun"/>) or held back by a rail (<see cref="ActionRunStatus.Skipped"/>).</summary>
    Task RunSkippedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The run's first step is about to run; <paramref name="preview"/> is what that step read it would change, when it could say.</summary>
    Task RunStartedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, DateTimeOffset at, StepPreview? preview, CancellationToken cancellationToken);

    /// <summary>The run ended without succeeding; the rest of its plan was not run.</summary>
    Task RunFailedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, string issue, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>A step was under way when Watchdog stopped and is not repeated: someone must check its effect by hand.</summary>
    Task RunInterruptedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, ActionStep interruptedStep, string issue, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>A step says how far it got, to people as well (<see cref="IActionJournal.AnnounceAsync"/>); the same key is sent once.</summary>
    Task StepAnnouncedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, ActionStep step, string key, string text, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>A step asks a person to act (<c>notify-only</c>), with the step's own <paramref name="message"/> if it has one.</summary>
    /// <returns>How many channels the notice was newly queued for.</returns>
    Task<int> ActionRequiredAsync(IStoreTransaction transaction, Incident incident, ActionRun run, ActionStep requestingStep, string? message, DateTimeOffset at, CancellationToken cancellationToken);
}
