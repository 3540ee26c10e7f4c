using Watchdog.Actions;
using Watchdog.Records;

namespace Watchdog.Tests.Kubernetes;

/// <summary>Records what a step wrote to its incident; <see cref="BadRevisions"/> are reported as known bad, <see cref="KnownGood"/> as known good.</summary>
internal sealed class RecordingJournal(Func<int>? requestsSoFar = null) : IActionJournal
{
    public List<(string What, string Json, int RequestsBefore)> Saved { get; } = [];

    public List<string> Progress { get; } = [];

    public HashSet<RevisionRef> BadRevisions { get; } = [];

    /// <summary>Known-good revisions, most recently confirmed first, whatever resource is asked for.</summary>
    public List<KnownGoodRevision> KnownGood { get; } = [];

    public Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken)
    {
        Progress.Add(summary);
        return Task.CompletedTask;
    }

    public Task SaveStateAsync(string what, string json, CancellationToken cancellationToken)
    {
        Saved.Add((what, json, requestsSoFar?.Invoke() ?? 0));
        return Task.CompletedTask;
    }

    public List<string> Checkpoints { get; } = [];

    public Task CheckpointAsync(string json, CancellationToken cancellationToken)
    {
        Checkpoints.Add(json);
        return Task.CompletedTask;
    }

    public Task<bool> IsBadRevisionAsync(RevisionRef revision, CancellationToken cancellationToken) => Task.FromResult(BadRevisions.Contains(revision));

    public Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string resource, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KnownGoodRevision>>([.. KnownGood.Where(k => k.Resource == resource)]);
}
