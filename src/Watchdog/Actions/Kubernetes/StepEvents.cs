using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>The Event a step posts on the object it acted on (Normal when done, Warning when not), for the cluster's own users.</summary>
internal static class StepEvents
{
    /// <summary>True when posted; a refused or failed post is a progress line on the incident, never the step's failure.</summary>
    public static async Task<bool> PostAsync(KubernetesClient client, ActionContext context, KubernetesObject subject, string resource, string message, bool warning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await client.CreateEventAsync(WorkloadEvents.Build(subject, DeploymentUndoAction.EventReason, message, warning, context.Time.GetUtcNow()), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is KubernetesStatusException or KubernetesUnavailableException or KubernetesConfigException)
        {
            // By design: the event only tells the cluster's users what happened; the step's outcome stands without it.
            await context.Journal.ProgressAsync($"event on {resource} not posted", ex.Message, cancellationToken);
            return false;
        }
    }
}
