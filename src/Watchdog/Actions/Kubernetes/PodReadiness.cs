using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>Whether a Service would send traffic to a Pod: the endpoints controller's test, Ready=True and not terminating.</summary>
internal static class PodReadiness
{
    public static bool IsReady(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var terminating = pod.Metadata.Unmodelled?.ContainsKey("deletionTimestamp") == true;
        return !terminating && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
    }
}
