namespace Watchdog.Kubernetes;

/// <summary>Any other object (a Lease, an Istio VirtualService): metadata typed, the rest kept as JSON.</summary>
internal sealed class GenericObject : KubernetesObject;
