using System.Globalization;
using Watchdog.Kubernetes;
using Watchdog.Records;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>deployment-undo</c>'s <c>last-known-good</c> mode: the revision to go back to is the most recently confirmed
/// known-good pod template that is still in the deployment's history, found by its template hash because a rollback
/// renumbers the ReplicaSet it re-uses.
/// </summary>
internal static class LastKnownGood
{
    internal readonly record struct Choice(long Revision, string? Error, string? Explanation);

    public static Choice Choose(string resource, IReadOnlyList<KnownGoodRevision> knownGood, Deployment deployment, IReadOnlyList<ReplicaSet> owned)
    {
        ArgumentNullException.ThrowIfNull(knownGood);
        if (knownGood.Count == 0)
        {
            return Fail($"no known-good revision of {resource} is recorded yet (one is recorded once its target stays healthy for verify_window on a completed rollout)");
        }

        var current = DeploymentHistory.Current(deployment, owned);
        var currentHash = current is null ? null : DeploymentHistory.TemplateHash(current);
        var latest = knownGood[0];
        if (latest.TemplateHash == currentHash)
        {
            // The release being watched is the one that last proved good: going back would undo a good release.
            return Fail($"the running revision of {resource} (pod template {currentHash}) is its last known good, confirmed {Time(latest.RecordedAt)}: not rolling back");
        }

        foreach (var record in knownGood.Where(k => k.TemplateHash != currentHash))
        {
            var replicaSet = owned.FirstOrDefault(rs => DeploymentHistory.TemplateHash(rs) == record.TemplateHash);
            if (replicaSet is not null && DeploymentHistory.Revision(replicaSet) is { } revision and > 0)
            {
                return new Choice(revision, null, string.Create(CultureInfo.InvariantCulture,
                    $"last known good of {resource}: revision {revision} (pod template {record.TemplateHash}, healthy from {Time(record.HealthySince)}, confirmed {Time(record.RecordedAt)})"));
            }
        }

        return Fail($"the known-good revisions of {resource} (pod templates {string.Join(", ", knownGood.Select(k => k.TemplateHash))}) are no longer in its history (revisionHistoryLimit)");
    }

    private static Choice Fail(string error) => new(0, error, null);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
