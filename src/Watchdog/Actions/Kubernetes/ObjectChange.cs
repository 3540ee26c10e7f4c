using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// One execution of an action that changes one object: the object once it is read (for its Event and the failure's
/// Before), a Warning Event with every failure after the read, and Event posts that never decide the step's outcome.
/// </summary>
internal sealed class ObjectChange(KubernetesClient client, ActionContext context, string display, string eventReason)
{
    /// <summary>
    /// Sent with every change. kubectl names itself (<c>kubectl-rollout</c>, <c>kubectl-patch</c>); Watchdog names
    /// itself too, so the object's managedFields, and any server-side apply conflict, say the change was Watchdog's
    /// and not a person's.
    /// </summary>
    public const string FieldManagerQuery = "?fieldManager=" + WorkloadEvents.Component;

    /// <summary>The object as read before any change; null until then (failures before it post no Event).</summary>
    public KubernetesObject? Object { get; set; }

    /// <summary>What a failed result reports as the state before.</summary>
    public string? Before { get; set; }

    public KubernetesClient Client => client;

    /// <summary>The server's body as <typeparamref name="T"/>; a body that is not one is an unusable answer.</summary>
    public static T Parse<T>(string raw, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(raw, type) ?? throw new KubernetesUnavailableException("the server answered with an empty body", null);
        }
        catch (JsonException ex)
        {
            throw new KubernetesUnavailableException($"the server's answer is not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    /// <summary>A failed result; once the object is known, with a Warning Event on it saying what was not done.</summary>
    public async Task<ActionResult> FailAsync(string notDone, string reason, CancellationToken cancellationToken)
    {
        if (Object is not null)
        {
            await PostEventAsync($"Watchdog did not {notDone} {display} (incident {context.Incident.Id}): {reason}", warning: true, cancellationToken);
        }

        return ActionResult.Failure(reason) with { Before = Before };
    }

    public async Task<bool> PostEventAsync(string message, bool warning, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateEventAsync(WorkloadEvents.Build(Object!, eventReason, message, warning, context.Time.GetUtcNow()), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is KubernetesStatusException or KubernetesUnavailableException or KubernetesConfigException)
        {
            // By design: the event only tells the cluster's users what happened; the step's outcome stands without it.
            await context.Journal.ProgressAsync($"event on {display} not posted", ex.Message, cancellationToken);
            return false;
        }
    }
}
