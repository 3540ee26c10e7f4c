using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>One <c>rollout-restart</c>: kubectl's steps on the workload it read, with Watchdog's precondition and skip.</summary>
internal sealed class WorkloadRestart(ObjectChange change, ActionContext context, string path, string kind, string name, string display)
{
    private string Kind => kind switch { "deployment" => "Deployment", "statefulset" => "StatefulSet", _ => "DaemonSet" };

    public async Task<ActionResult> RunAsync(CancellationToken cancellationToken)
    {
        var snapshot = await ObjectSnapshot.GetAsync(change.Client, path, Kind, "apps/v1", cancellationToken);
        var read = snapshot.Json;
        change.Object = snapshot.Typed;
        var previous = RolloutRestartAction.RestartedAt(read);
        change.Before = $"{display} restartedAt {previous ?? "never"}";
        if (kind == "deployment" && read["spec"]?["paused"] is JsonValue paused && paused.TryGetValue<bool>(out var isPaused) && isPaused)
        {
            return await change.FailAsync($"deployments.apps \"{name}\" can't restart paused deployment (run rollout resume first)", cancellationToken);
        }

        var restartedAt = RolloutRestartAction.Timestamp(context.Time.GetUtcNow());
        if (previous == restartedAt)
        {
            // kubectl refuses the then empty patch ("if restart has already been triggered within the past second,
            // please wait"); for Watchdog the restart asked for has been made, so the step is done.
            var skipped = $"skipped (already restarted at {restartedAt}): {display}";
            var posted = await change.PostEventAsync($"Watchdog left {display} as it is: already restarted at {restartedAt} (incident {context.Incident.Id})", warning: false, cancellationToken);
            return ActionResult.Success(skipped) with
            {
                Before = change.Before,
                After = change.Before,
                Detail = RolloutRestartAction.DetailJson(restartedAt, previous, patched: false, posted),
            };
        }

        // The runbook's "backup current state": the workload exactly as the server sent it, before any change.
        await context.Journal.SaveStateAsync(display, snapshot.Raw, cancellationToken);
        // Found in place is done too: the restartedAt value is Watchdog's own, set this second.
        if (await PatchAsync(restartedAt, snapshot.Raw, cancellationToken) == PatchOutcome.Conflict)
        {
            return await change.FailAsync($"conflict: {display} changed since Watchdog read it; not restarted", cancellationToken);
        }

        var summary = $"restarted {display} ({RolloutRestartAction.RestartedAtAnnotation}={restartedAt})";
        var eventPosted = await change.PostEventAsync($"Watchdog {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
        return ActionResult.Success(summary) with
        {
            Before = change.Before,
            After = $"{display} restartedAt {restartedAt}",
            Detail = RolloutRestartAction.DetailJson(restartedAt, previous, patched: true, eventPosted),
        };
    }

    /// <summary>The annotation sent under a precondition (<see cref="PreconditionedPatch"/>).</summary>
    private Task<PatchOutcome> PatchAsync(string restartedAt, string raw, CancellationToken cancellationToken) =>
        PreconditionedPatch.SendAsync(
            change,
            context,
            display,
            path,
            raw,
            read => change.Client.SendAsync(
                HttpMethod.Patch,
                path + ObjectChange.FieldManagerQuery,
                RolloutRestartAction.PatchBody(restartedAt, JsonNode.Parse(read)?["metadata"]?["resourceVersion"]?.GetValue<string>()),
                "application/strategic-merge-patch+json",
                preconditioned: true,
                cancellationToken),
            now => JsonNode.Parse(now) is { } node && RolloutRestartAction.RestartedAt(node) == restartedAt,
            cancellationToken);
}
