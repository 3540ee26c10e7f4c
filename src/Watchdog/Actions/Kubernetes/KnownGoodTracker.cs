using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// Records which Deployment revisions proved good, for <c>deployment-undo</c>'s <c>last-known-good</c> mode: a
/// revision is known good once its target's decisions have been conclusively healthy for the target's
/// <c>verify_window</c> while that revision's rollout was complete. The deployments watched are the ones the target's
/// plans undo. Inconclusive or unhealthy decisions, an incomplete rollout, a new template or an unreadable API all
/// start the window again: this can only record later than it might, never record a revision that was not watched
/// healthy for the whole window.
/// </summary>
internal sealed partial class KnownGoodTracker(KubernetesConnection connection, IWatchdogStore store, ILogger<KnownGoodTracker> logger) : IDecisionObserver
{
    /// <summary>How often a healthy target's deployments are read; the window is measured from the first reading.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Streak> _streaks = new(StringComparer.Ordinal);

    // The last read error per target and resource: a cluster that stays unreachable is logged once, not every check.
    private readonly ConcurrentDictionary<(string Target, string Resource), string> _readErrors = new();

    public async Task ObserveAsync(TargetOptions target, Decision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var deployments = Deployments(target);
        if (deployments.Count == 0)
        {
            return;
        }

        if (decision.Action != DecisionAction.None || decision.IsInconclusive)
        {
            _streaks.TryRemove(target.Name, out _);
            return;
        }

        var streak = _streaks.GetOrAdd(target.Name, _ => new Streak());
        if (streak.LastCheck is { } last && decision.At - last < CheckEvery)
        {
            return;
        }

        streak.LastCheck = decision.At;
        foreach (var (ns, name) in deployments)
        {
            await CheckAsync(target, streak, ns, name, decision.At, cancellationToken);
        }
    }

    /// <summary>The deployments a target's plans undo, as (namespace, name), each once.</summary>
    public static IReadOnlyList<(string Namespace, string Name)> Deployments(TargetOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return [.. target.Plans.Values
            .SelectMany(steps => steps)
            .Where(step => step.Action == DeploymentUndoAction.PluginName && step.Parameters.ContainsKey("deployment"))
            .Select(step => (KubernetesNames.Namespace(step.Parameters), step.Parameters["deployment"]))
            .Distinct()];
    }

    private async Task CheckAsync(TargetOptions target, Streak streak, string ns, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resource = DeploymentUndoAction.Resource(ns, name);
        (string Hash, string Revision)? running;
        try
        {
            running = await ReadCompletedRevisionAsync(connection.Client, ns, name, cancellationToken);
        }
        catch (Exception ex) when (ex is KubernetesStatusException or KubernetesUnavailableException or KubernetesConfigException or JsonException)
        {
            // By design: without a reading nothing is known, so the window starts again at the next good reading.
            streak.Seen.Remove(resource);
            if (!_readErrors.TryGetValue((target.Name, resource), out var last) || last != ex.Message)
            {
                _readErrors[(target.Name, resource)] = ex.Message;
                ReadFailed(logger, resource, target.Name, ex.Message);
            }

            return;
        }

        _readErrors.TryRemove((target.Name, resource), out _);

        if (running is not { } current)
        {
            streak.Seen.Remove(resource);
            return;
        }

        if (!streak.Seen.TryGetValue(resource, out var seen) || seen.Hash != current.Hash)
        {
            seen = new Seen(current.Hash, now);
            streak.Seen[resource] = seen;
        }

        if (seen.Recorded || now - seen.Since < target.VerifyWindow)
        {
            return;
        }

        await using (var tx = await store.BeginAsync(cancellationToken))
        {
            await tx.RecordKnownGoodAsync(new KnownGoodRevision(target.Name, resource, current.Revision, current.Hash, seen.Since, now), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        seen.Recorded = true;
        Recorded(logger, resource, current.Revision, current.Hash, target.Name, DurationText.Human(target.VerifyWindow));
    }

    /// <summary>The template hash and revision of a deployment whose rollout is complete (kubectl's test); null while it is not.</summary>
    internal static async Task<(string Hash, string Revision)?> ReadCompletedRevisionAsync(KubernetesClient client, string ns, string name, CancellationToken cancellationToken)
    {
        var raw = await client.GetRawAsync(KubernetesPaths.Deployment(ns, name), cancellationToken);
        if (JsonNode.Parse(raw) is not { } node || !RolloutWaitAction.Status(node, name).Done)
        {
            return null;
        }

        var deployment = node.Deserialize(KubernetesJsonContext.Default.Deployment)!;
        var current = DeploymentHistory.Current(deployment, await DeploymentHistory.ListOwnedAsync(client, ns, deployment, cancellationToken));
        return current is not null && DeploymentHistory.TemplateHash(current) is { } hash && DeploymentHistory.Revision(current) is { } revision
            ? (hash, revision.ToString(CultureInfo.InvariantCulture))
            : null;
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information,
        Message = "{Resource} revision {Revision} (pod template {Hash}) is known good: target {Target} healthy for {Window} on its completed rollout")]
    private static partial void Recorded(ILogger logger, string resource, string revision, string hash, string target, string window);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning,
        Message = "Could not read {Resource} for target {Target}'s known-good record; its verify window starts again: {Reason}")]
    private static partial void ReadFailed(ILogger logger, string resource, string target, string reason);

    private sealed class Streak
    {
        public DateTimeOffset? LastCheck { get; set; }

        public Dictionary<string, Seen> Seen { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Seen(string hash, DateTimeOffset since)
    {
        public string Hash { get; } = hash;

        public DateTimeOffset Since { get; } = since;

        public bool Recorded { get; set; }
    }
}
