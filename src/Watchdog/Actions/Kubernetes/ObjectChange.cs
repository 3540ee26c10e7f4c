using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// One execution of an action that changes one object: the object once it is read (for its Event and the failure's
/// Before), a Warning Event with every failure after the read, and Event posts that never decide the step's outcome.
/// <see cref="RunAsync"/> turns every Kubernetes error into the step's failure, the same way for every action.
/// </summary>
internal sealed class ObjectChange(KubernetesClient client, ActionContext context, ChangeTarget target)
{
    /// <summary>
    /// Sent with every change. kubectl names itself (<c>kubectl-rollout</c>, <c>kubectl-patch</c>); Watchdog names
    /// itself too, so the object's managedFields, and any server-side apply conflict, say the change was Watchdog's
    /// and not a person's.
    /// </summary>
    public const string FieldManagerQuery = "?fieldManager=" + WorkloadEvents.Component;

    /// <summary>The object as read before any change; null until then (failures before it post no Event).</summary>
    public KubernetesObject? Object { get; set; }

    /// <summary>What a failed result reports as the state before; set only once <see cref="Object"/> is.</summary>
    public string? Before { get; set; }

    public KubernetesClient Client => client;

    /// <summary>
    /// Runs <paramref name="body"/> and maps what the client throws to the step's failure: before the object is read
    /// the failure is the action's own words (<see cref="ChangeTarget.NotFound"/>, <see cref="ChangeTarget.ReadFailed"/>);
    /// after it, a Warning Event on the object says what was not done.
    /// </summary>
    public static async Task<ActionResult> RunAsync(KubernetesConnection connection, ActionContext context, ChangeTarget target, Func<ObjectChange, Task<ActionResult>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(body);
        KubernetesClient client;
        try
        {
            client = connection.Client;
        }
        catch (KubernetesConfigException ex)
        {
            return ActionResult.Failure(ex.Message);
        }

        var change = new ObjectChange(client, context, target);
        try
        {
            return await body(change);
        }
        catch (KubernetesStatusException ex) when (change.Object is null)
        {
            return ActionResult.Failure(ex.Code == 404 ? target.NotFound : $"{target.ReadFailed}: {ex.Message}");
        }
        catch (KubernetesStatusException ex)
        {
            return await change.FailAsync($"Kubernetes API error on {target.Display}: {ex.Message}", cancellationToken);
        }
        catch (KubernetesUnavailableException ex)
        {
            return await change.FailAsync($"Kubernetes API unreachable: {ex.Message}", cancellationToken);
        }
        catch (KubernetesConfigException ex)
        {
            return ActionResult.Failure(ex.Message); // an exec plugin that fails at first use
        }
    }

    /// <summary>A failed result; once the object is known, with a Warning Event on it saying what was not done.</summary>
    public async Task<ActionResult> FailAsync(string reason, CancellationToken cancellationToken)
    {
        if (Object is not null)
        {
            await PostEventAsync($"Watchdog did not {target.Verb} {target.Display} (incident {context.Incident.Id}): {reason}", warning: true, cancellationToken);
        }

        return ActionResult.Failure(reason) with { Before = Before };
    }

    /// <summary>The Event on the object read (Normal when done, Warning when not), for the cluster's own users. True when posted.</summary>
    public async Task<bool> PostEventAsync(string message, bool warning, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateEventAsync(WorkloadEvents.Build(Object!, target.EventReason, message, warning, context.Time.GetUtcNow()), cancellationToken);
            return true;
        }
        catch (Exception ex) when (KubernetesErrors.IsExpected(ex))
        {
            // By design: the event only tells the cluster's users what happened; the step's outcome stands without it.
            await context.Journal.ProgressAsync($"event on {target.Display} not posted", ex.Message, cancellationToken);
            return false;
        }
    }
}
