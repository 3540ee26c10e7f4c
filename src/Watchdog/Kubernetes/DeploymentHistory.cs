using System.Globalization;

namespace Watchdog.Kubernetes;

/// <summary>kubectl's view of a Deployment's history (polymorphichelpers/rollback.go, util/deployment).</summary>
internal static class DeploymentHistory
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>Annotations that stay with the deployment on rollback, never copied from a ReplicaSet.</summary>
    public static readonly IReadOnlySet<string> AnnotationsToSkip = new HashSet<string>(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        RevisionAnnotation,
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    };

    /// <summary>The annotation as a number: missing is 0, unparsable is null (kubectl skips such a ReplicaSet).</summary>
    public static long? Revision(KubernetesObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Metadata.Annotations?.GetValueOrDefault(RevisionAnnotation) is not { } text)
        {
            return 0;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var revision) ? revision : null;
    }

    /// <summary>
    /// The ReplicaSets the deployment controls (controller owner reference with its uid), old ones in list order and
    /// the new one (oldest with the deployment's template) last, as GetAllReplicaSets returns them.
    /// </summary>
    public static List<ReplicaSet> Owned(Deployment deployment, IEnumerable<ReplicaSet> replicaSets)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var owned = replicaSets.Where(rs => rs.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == deployment.Metadata.Uid) == true).ToList();
        var newest = owned
            .Where(rs => PodTemplateEquality.EqualIgnoringHash(rs.Spec.Template, deployment.Spec.Template))
            .OrderBy(rs => rs.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (newest is not null)
        {
            owned.Remove(newest);
            owned.Add(newest);
        }

        return owned;
    }

    /// <summary>
    /// kubectl's deploymentRevision: <paramref name="toRevision"/> 0 takes the second-highest revision ("previous"),
    /// N takes the first with revision N. The error text is kubectl's.
    /// </summary>
    public static (ReplicaSet? Found, long Revision, string? Error) Find(string deploymentName, IReadOnlyList<ReplicaSet> owned, long toRevision)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (toRevision < 0)
        {
            return (null, toRevision, RevisionNotFound(toRevision));
        }

        (ReplicaSet? Set, long Revision) latest = (null, -1), previous = (null, -1);
        foreach (var rs in owned)
        {
            if (Revision(rs) is not { } v)
            {
                continue;
            }

            if (toRevision == 0)
            {
                if (latest.Revision < v)
                {
                    previous = latest;
                    latest = (rs, v);
                }
                else if (previous.Revision < v)
                {
                    previous = (rs, v);
                }
            }
            else if (toRevision == v)
            {
                return (rs, v, null);
            }
        }

        if (toRevision > 0)
        {
            return (null, toRevision, RevisionNotFound(toRevision));
        }

        return previous.Set is null
            ? (null, 0, $"no rollout history found for deployment \"{deploymentName}\"")
            : (previous.Set, previous.Revision, null);
    }

    /// <summary>kubectl's LIST of the ReplicaSets by the deployment's selector, kept to those it controls (<see cref="Owned"/>).</summary>
    public static async Task<List<ReplicaSet>> ListOwnedAsync(KubernetesClient client, string ns, Deployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(deployment);
        var selector = deployment.Spec.Selector?.ToQuery() ?? "";
        var all = await client.ListAllAsync(
            KubernetesPaths.ReplicaSets(ns), new KubernetesListOptions { LabelSelector = selector }, KubernetesJsonContext.Default.KubernetesListReplicaSet, cancellationToken);
        return Owned(deployment, all);
    }

    /// <summary>The ReplicaSet running the deployment's current template (the controller's "new" one), if it exists yet.</summary>
    public static ReplicaSet? Current(Deployment deployment, IReadOnlyList<ReplicaSet> owned)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(owned);
        return owned.Count > 0 && PodTemplateEquality.EqualIgnoringHash(owned[^1].Spec.Template, deployment.Spec.Template) ? owned[^1] : null;
    }

    /// <summary>The controller's name for a pod template; stable across rollbacks, unlike the revision number.</summary>
    public static string? TemplateHash(ReplicaSet replicaSet)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);
        return replicaSet.Metadata.Labels?.GetValueOrDefault(PodTemplateEquality.HashLabel);
    }

    public static string RevisionNotFound(long revision) =>
        string.Create(CultureInfo.InvariantCulture, $"unable to find specified revision {revision} in history");
}
