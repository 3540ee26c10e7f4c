using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>What the Kubernetes client throws for an expected outage, and how the actions that post no Event report it.</summary>
internal static class KubernetesErrors
{
    /// <summary>A refusal (a Status), an unreachable or unusable server, or a kubeconfig that fails at first use.</summary>
    public static bool IsExpected(Exception ex) =>
        ex is KubernetesStatusException or KubernetesUnavailableException or KubernetesConfigException;

    /// <summary>
    /// Runs <paramref name="body"/> with the client; any expected error is the step's failure, <c>DISPLAY: message</c>.
    /// For rollout-wait, which only reads: it changes nothing, so there is no Event to post and none of
    /// <see cref="ObjectChange"/>'s before/after-the-read distinctions.
    /// </summary>
    public static async Task<ActionResult> ReportAsync(KubernetesConnection connection, string display, Func<KubernetesClient, Task<ActionResult>> body)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body(connection.Client);
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            return ActionResult.Failure($"{display}: {ex.Message}");
        }
    }
}
