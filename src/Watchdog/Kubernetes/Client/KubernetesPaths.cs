namespace Watchdog.Kubernetes;

/// <summary>REST paths: core kinds live under <c>/api/v1</c>, the rest under <c>/apis/GROUP/VERSION</c>.</summary>
internal static class KubernetesPaths
{
    public static string Namespaced(string group, string version, string ns, string resource, string? name = null, string? subresource = null)
    {
        var root = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        var path = $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{resource}";
        if (name is not null)
        {
            path += "/" + Uri.EscapeDataString(name);
        }

        return subresource is null ? path : path + "/" + subresource;
    }

    public static string Deployment(string ns, string? name = null, string? subresource = null) => Namespaced("apps", "v1", ns, "deployments", name, subresource);

    public static string ReplicaSets(string ns) => Namespaced("apps", "v1", ns, "replicasets");

    public static string ControllerRevisions(string ns) => Namespaced("apps", "v1", ns, "controllerrevisions");

    public static string Events(string ns) => Namespaced("", "v1", ns, "events");
}
