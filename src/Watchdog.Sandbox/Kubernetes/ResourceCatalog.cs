namespace Watchdog.Sandbox.Kubernetes;

/// <summary>The resources the simulator serves, as discovery lists them and as paths address them.</summary>
internal static class ResourceCatalog
{
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", "Deployment", ["deploy"], HasGeneration: true, HasStatusSubresource: true, HasScaleSubresource: true);
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", ["rs"], HasGeneration: true, HasStatusSubresource: true, HasScaleSubresource: true);
    public static readonly ResourceType StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", ["sts"], HasGeneration: true, HasStatusSubresource: true, HasScaleSubresource: true);
    public static readonly ResourceType DaemonSets = new("apps", "v1", "daemonsets", "DaemonSet", ["ds"], HasGeneration: true, HasStatusSubresource: true);
    public static readonly ResourceType ControllerRevisions = new("apps", "v1", "controllerrevisions", "ControllerRevision", []);
    public static readonly ResourceType Services = new("", "v1", "services", "Service", ["svc"], HasStatusSubresource: true);
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", ["cm"]);
    public static readonly ResourceType Events = new("", "v1", "events", "Event", ["ev"]);
    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod", ["po"], HasStatusSubresource: true);
    public static readonly ResourceType VirtualServices = new("networking.istio.io", "v1beta1", "virtualservices", "VirtualService", ["vs"], HasGeneration: true, AcceptsStrategicMerge: false);

    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "Lease", [], AllowsUnconditionalUpdate: false, AcceptsStrategicMerge: true);

    public static IReadOnlyList<ResourceType> All { get; } =
        [Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions, Services, ConfigMaps, Events, Pods, VirtualServices, Leases];

    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
}
