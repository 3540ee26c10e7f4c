using System.Globalization;
using System.Text.Json;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>One execution of <see cref="ControllerRevisionUndoAction"/>: kubectl's steps, with the object it read for error reports and the event.</summary>
internal sealed class ControllerRevisionUndo(KubernetesClient client, ActionContext context, RevisionedWorkload workload, string name, string ns)
{
    // The revision whose data is the live template, once the history is read: what the incident says it left.
    private long? _current;

    public string Resource { get; } = workload.Resource(ns, name);

    /// <summary>The object as read; null until the GET answered.</summary>
    public StatefulSet? Workload { get; private set; }

    public async Task<ActionResult> RunAsync(long toRevision, CancellationToken cancellationToken)
    {
        var path = workload.Path(ns, name);
        var raw = await client.GetRawAsync(path, cancellationToken);
        // One model for both kinds: only metadata, selector and template are read, and the raw body is what is saved.
        var live = JsonSerializer.Deserialize(raw, KubernetesJsonContext.Default.StatefulSet)!;
        live.Kind ??= workload.Kind;
        live.ApiVersion ??= "apps/v1";
        Workload = live;
        var selector = live.Spec.Selector?.ToQuery() ?? "";
        var all = await client.ListAllAsync(KubernetesPaths.ControllerRevisions(ns), new KubernetesListOptions { LabelSelector = selector }, KubernetesJsonContext.Default.KubernetesListControllerRevision, cancellationToken);
        var owned = ControllerRevisionHistory.Owned(live, all);
        var template = live.Spec.Template;
        // kubectl does not need it; the incident does. Bytes first, as kubectl compares; by value for data not Go-encoded.
        _current = (owned.FirstOrDefault(r => ControllerRevisionHistory.Matches(template, r))
                    ?? owned.Where(r => ControllerRevisionHistory.HoldsTemplateOf(template, r)).MaxBy(r => r.Revision))?.Revision;

        var (target, error) = ControllerRevisionHistory.Find(owned, toRevision);
        if (target is null)
        {
            return await FailAsync(error!, cancellationToken);
        }

        var revisionText = target.Revision.ToString(CultureInfo.InvariantCulture);
        if (await context.Journal.IsBadRevisionAsync(new RevisionRef(Resource, revisionText), cancellationToken))
        {
            return await FailAsync($"refused: revision {revisionText} of {Resource} was rolled back from before (known bad)", cancellationToken);
        }

        if (ControllerRevisionHistory.Matches(template, target))
        {
            // kubectl prints the requested number (0 for a plain undo); the resolved one says more on an incident.
            var skipped = $"skipped rollback (current template already matches revision {revisionText})";
            var posted = await PostEventAsync(skipped, warning: false, cancellationToken);
            return ActionResult.Success(skipped) with
            {
                Before = DeploymentUndoAction.Describe(Resource, _current),
                After = DeploymentUndoAction.Describe(Resource, _current),
                Detail = DeploymentUndoAction.DetailJson(_current, target.Revision, patched: false, posted),
            };
        }

        if (target.Data is not { } data)
        {
            return await FailAsync($"revision {revisionText} of {Resource} has no data to restore", cancellationToken);
        }

        // The runbook's "backup current state": the object exactly as the server sent it, before any change.
        await context.Journal.SaveStateAsync(Resource, raw, cancellationToken);
        var patch = ControllerRevisionHistory.RestorePatch(data, live.Metadata.ResourceVersion);
        try
        {
            await client.PatchAsync(path, KubernetesPatchType.StrategicMerge, patch, KubernetesJsonContext.Default.StatefulSet, cancellationToken);
        }
        catch (KubernetesStatusException ex) when (ex.Code == 409)
        {
            // A retried PATCH whose first attempt was applied (its answer lost to a 5xx or a timeout) fails its own
            // precondition: only a template other than the target's is a real conflict.
            var now = await client.GetAsync(path, KubernetesJsonContext.Default.StatefulSet, cancellationToken);
            if (!ControllerRevisionHistory.HoldsTemplateOf(now.Spec.Template, target))
            {
                return await FailAsync($"conflict: the {workload.Parameter} changed, not rolled back", cancellationToken);
            }
        }
        catch (KubernetesStatusException ex)
        {
            return await FailAsync(ex.Code == 404 ? $"{workload.Parameter} {ns}/{name} not found" : $"failed restoring revision {revisionText}: {ex.Message}", cancellationToken);
        }

        var summary = $"rolled back {Resource} from revision {Text(_current)} to revision {revisionText}";
        var eventPosted = await PostEventAsync($"Watchdog {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
        return ActionResult.Success(summary) with
        {
            Before = DeploymentUndoAction.Describe(Resource, _current),
            After = DeploymentUndoAction.Describe(Resource, target.Revision),
            Detail = DeploymentUndoAction.DetailJson(_current, target.Revision, patched: true, eventPosted),
            // Unknown (a template the controller has not recorded yet) or the target itself (kubectl's byte comparison
            // missed a template equal in value): nothing was left, so nothing is marked bad.
            RolledBackFrom = _current is { } from && from != target.Revision ? new RevisionRef(Resource, Text(from)) : null,
        };
    }

    public async Task<ActionResult> FailAsync(string reason, CancellationToken cancellationToken)
    {
        if (Workload is not null)
        {
            await PostEventAsync($"Watchdog did not roll back {Resource} (incident {context.Incident.Id}): {reason}", warning: true, cancellationToken);
        }

        return ActionResult.Failure(reason) with { Before = Workload is null ? null : DeploymentUndoAction.Describe(Resource, _current) };
    }

    private static string Text(long? revision) => revision?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private async Task<bool> PostEventAsync(string message, bool warning, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateEventAsync(WorkloadEvents.Build(Workload!, ControllerRevisionUndoAction.EventReason, message, warning, context.Time.GetUtcNow()), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is KubernetesStatusException or KubernetesUnavailableException or KubernetesConfigException)
        {
            // By design: the event only tells the cluster's users what happened; the step's outcome stands without it.
            await context.Journal.ProgressAsync($"event on {Resource} not posted", ex.Message, cancellationToken);
            return false;
        }
    }
}
