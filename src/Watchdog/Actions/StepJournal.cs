using Watchdog.Records;
using Watchdog.Secrets;

namespace Watchdog.Actions;

/// <summary>What a running step writes to its incident, each write in a transaction of its own, tried again while the store is away.</summary>
internal sealed class StepJournal(IWatchdogStore store, JournalWrites writes, ActionStep step, Incident incident, ActionRun run, IRunNotices notices, TimeProvider time) : IActionJournal
{
    // The line and its notice in one transaction: a notice exists exactly when the timeline says what it reports.
    public async Task AnnounceAsync(string key, string text, string? detail, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        await writes.WriteAsync($"step {step.Number}'s announcement", step.RunId, async ct =>
        {
            await using var tx = await store.BeginAsync(ct);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, at, IncidentEventKind.StepProgress, text, detail), ct);
            await notices.StepAnnouncedAsync(tx, incident, run, step, key, text, at, ct);
            await tx.CommitAsync(ct);
        }, cancellationToken);
    }

    public async Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken) =>
        await AppendAsync(IncidentEventKind.StepProgress, summary, detail, cancellationToken);

    // Kept on the incident, which the read API shows: literal env values (often passwords) stay out.
    public async Task SaveStateAsync(string what, string json, CancellationToken cancellationToken) =>
        await AppendAsync(IncidentEventKind.StateSaved, $"saved the state of {what} before changing it", SavedStateRedaction.Apply(json), cancellationToken);

    // The step stays journalled as started; its result, written when it finishes, replaces the checkpoint.
    public async Task CheckpointAsync(string json, CancellationToken cancellationToken) =>
        await writes.WriteAsync($"step {step.Number}'s checkpoint", step.RunId, async ct =>
        {
            await using var tx = await store.BeginAsync(ct);
            await tx.UpdateStepAsync(step with { Result = json }, ct);
            await tx.CommitAsync(ct);
        }, cancellationToken);

    public Task<bool> IsBadRevisionAsync(RevisionRef revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return store.IsBadRevisionAsync(run.Target, revision.Resource, revision.Revision, cancellationToken);
    }

    public Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string resource, CancellationToken cancellationToken) =>
        store.ListKnownGoodAsync(run.Target, resource, cancellationToken);

    private async Task AppendAsync(string kind, string summary, string? detail, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        await writes.WriteAsync($"the step's {kind} event", step.RunId, async ct =>
        {
            await using var tx = await store.BeginAsync(ct);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, at, kind, summary, detail), ct);
            await tx.CommitAsync(ct);
        }, cancellationToken);
    }
}
