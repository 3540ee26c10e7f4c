using Watchdog.Records;


namespace Watchdog.Actions;

/// <summary>What a running step may write to its incident: progress lines, saved state, known-bad and known-good revisions.</summary>
internal interface IActionJournal
{
    /// <summary>A line on the incident's timeline (e.g. "2 of 3 replicas updated").</summary>
    Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken);

    /// <summary>
    /// A progress line people are told as well as the timeline (a flag reduction's <c>Reducing checkout-v2: 50 % → 25 %</c>).
    /// <paramref name="key"/> tells the step's announcements apart, so one repeated after a restart is sent once.
    /// A journal that cannot notify writes the line on the timeline only.
    /// </summary>
    Task AnnounceAsync(string key, string text, string? detail, CancellationToken cancellationToken) => ProgressAsync(text, detail, cancellationToken);

    /// <summary>Saves an object's state before changing it (the runbook's "backup current state").</summary>
    Task SaveStateAsync(string what, string json, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps where a long step stands (JSON, e.g. a flag reduction's step and hold) on the step itself, replacing the
    /// last one, so that the step resumed after a restart reads it back from <see cref="ActionStep.Result"/>.
    /// </summary>
    Task CheckpointAsync(string json, CancellationToken cancellationToken);

    Task<bool> IsBadRevisionAsync(RevisionRef revision, CancellationToken cancellationToken);

    /// <summary>The target's known-good revisions of <paramref name="resource"/>, most recently confirmed first.</summary>
    Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string resource, CancellationToken cancellationToken);
}
