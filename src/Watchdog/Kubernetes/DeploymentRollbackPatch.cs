using System.Text.Json.Nodes;

namespace Watchdog.Kubernetes;

/// <summary>The JSON patch <c>kubectl rollout undo</c> sends (spec §1.2 steps 8–10), plus a resourceVersion precondition.</summary>
internal static class DeploymentRollbackPatch
{
    /// <summary>
    /// kubectl's two operations: the ReplicaSet's template (without <c>pod-template-hash</c>) and the merged annotations
    /// replacing the deployment's. Then, unlike kubectl, <c>replace /metadata/resourceVersion</c> with the version read:
    /// the API server treats a resourceVersion in the patched object as a precondition and answers 409 when the
    /// deployment changed since (a JSON patch <c>test</c> op would fail as a generic 422 instead).
    /// </summary>
    public static JsonArray Build(Deployment deployment, ReplicaSet target)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(target);
        var annotations = new JsonObject();
        foreach (var (key, value) in deployment.Metadata.Annotations ?? [])
        {
            if (DeploymentHistory.AnnotationsToSkip.Contains(key))
            {
                annotations[key] = value;
            }
        }

        foreach (var (key, value) in target.Metadata.Annotations ?? [])
        {
            if (!DeploymentHistory.AnnotationsToSkip.Contains(key))
            {
                annotations[key] = value;
            }
        }

        return
        [
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = PodTemplateEquality.WithoutHash(target.Spec.Template) },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/annotations", ["value"] = annotations },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/resourceVersion", ["value"] = deployment.Metadata.ResourceVersion },
        ];
    }
}
