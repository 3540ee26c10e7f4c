using System.Globalization;
using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>One execution of <see cref="ControllerRevisionUndoAction"/>: kubectl's steps, on the object <paramref name="change"/> holds once read.</summary>
internal sealed class ControllerRevisionUndo(ObjectChange change, ActionContext context, RevisionedWorkload workload, string name, string ns)
{
    private string Resource { get; } = workload.Resource(ns, name);

    public async Task<ActionResult> RunAsync(long toRevision, bool previousGood, CancellationToken cancellationToken)
    {
        var path = workload.Path(ns, name);
        var read = await WorkloadHistoryReader.ReadAsync(change, context, Resource, path, (workload.Parameter, "ControllerRevision"), Parse, l => ListOwnedAsync(l, cancellationToken), cancellationToken);
        var (raw, live, owned) = (read.Raw, read.Workload, read.History);
        change.Object = live;
        change.Before = DeploymentUndoAction.Describe(Resource, null); // until the history says which revision it is
        if (read.Unsettled is { } unsettled)
        {
            return await change.FailAsync(unsettled, cancellationToken);
        }

        var template = live.Spec.Template;
        var currentRevision = Live(template, owned);
        var current = currentRevision?.Revision;
        var running = WorkloadVersion.Describe(Resource, WorkloadVersion.Images(template), current);
        change.Before = running;

        if (previousGood)
        {
            var choice = await ChoosePreviousGoodAsync(current, owned, cancellationToken);
            if (choice.Error is not null)
            {
                return await change.FailAsync(choice.Error, cancellationToken);
            }

            if (choice.Explanation is not null)
            {
                await context.Journal.ProgressAsync(choice.Explanation, null, cancellationToken);
            }

            toRevision = choice.Revision;
        }

        var (target, error) = ControllerRevisionHistory.Find(owned, toRevision);
        if (target is null)
        {
            return await change.FailAsync(error!, cancellationToken);
        }

        var revisionText = target.Revision.ToString(CultureInfo.InvariantCulture);
        // Known-bad revisions are remembered by ControllerRevision name (owner and template hash), which stays with the
        // template when the controller renumbers it.
        if (await context.Journal.IsBadRevisionAsync(new RevisionRef(Resource, target.Metadata.Name ?? revisionText), cancellationToken))
        {
            return await change.FailAsync($"refused: revision {revisionText} of {Resource} was rolled back from before (known bad)", cancellationToken);
        }

        if (ControllerRevisionHistory.Matches(template, target))
        {
            // kubectl prints the requested number (0 for a plain undo); the resolved one says more on an incident.
            var skipped = $"skipped rollback (current template already matches revision {revisionText})";
            var posted = await change.PostEventAsync(skipped, warning: false, cancellationToken);
            return ActionResult.Success(skipped) with
            {
                Before = running,
                After = running,
                Detail = DeploymentUndoAction.DetailJson(current, target.Revision, patched: false, posted),
            };
        }

        if (target.Data is not { } data)
        {
            return await change.FailAsync($"revision {revisionText} of {Resource} has no data to restore", cancellationToken);
        }

        // The runbook's "backup current state": the object exactly as the server sent it, before any change.
        await context.Journal.SaveStateAsync(Resource, raw, cancellationToken);
        PatchOutcome outcome;
        try
        {
            outcome = await PreconditionedPatch.SendAsync(
                change,
                context,
                Resource,
                path,
                raw,
                read => change.Client.PatchAsync(path, KubernetesPatchType.StrategicMerge, ControllerRevisionHistory.RestorePatch(data, ObjectSnapshot.Parse(read, KubernetesJsonContext.Default.StatefulSet).Metadata.ResourceVersion), KubernetesJsonContext.Default.StatefulSet, preconditioned: true, cancellationToken),
                now => ControllerRevisionHistory.HoldsTemplateOf(ObjectSnapshot.Parse(now, KubernetesJsonContext.Default.StatefulSet).Spec.Template, target),
                cancellationToken);
        }
        catch (KubernetesStatusException ex)
        {
            return await change.FailAsync(ex.Code == 404 ? $"{workload.Parameter} {ns}/{name} not found" : $"failed restoring revision {revisionText}: {ex.Message}", cancellationToken);
        }

        if (outcome == PatchOutcome.Conflict)
        {
            return await change.FailAsync($"conflict: the {workload.Parameter} changed, not rolled back", cancellationToken);
        }

        // The controller re-uses the target's ControllerRevision and sets its revision to max + 1.
        var landed = WorkloadVersion.DescribeRestored(
            Resource, WorkloadVersion.Images(data), target.Revision, WorkloadVersion.Renumbered(target.Revision, owned.Where(r => !ReferenceEquals(r, target)).Select(r => r.Revision)));
        if (outcome == PatchOutcome.FoundInPlace)
        {
            // Not known to be Watchdog's doing, so nothing is marked known bad.
            var found = DeploymentUndoAction.FoundInPlace(Resource, current, target.Revision);
            var posted = await change.PostEventAsync($"Watchdog: {found} (incident {context.Incident.Id})", warning: false, cancellationToken);
            return ActionResult.Success(found) with
            {
                Before = running,
                After = landed,
                Detail = DeploymentUndoAction.DetailJson(current, target.Revision, patched: false, posted),
            };
        }

        var summary = $"rolled back {Resource} from revision {Text(current)} to revision {revisionText}";
        var eventPosted = await change.PostEventAsync($"Watchdog {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
        return ActionResult.Success(summary) with
        {
            Before = running,
            After = landed,
            Detail = DeploymentUndoAction.DetailJson(current, target.Revision, patched: true, eventPosted),
            // Unknown (a template the controller has not recorded yet) or the target itself (kubectl's byte comparison
            // missed a template equal in value): nothing was left, so nothing is marked bad.
            RolledBackFrom = currentRevision is { } from && from.Revision != target.Revision ? new RevisionRef(Resource, from.Metadata.Name ?? Text(from.Revision)) : null,
        };
    }

    /// <summary>The read half of <see cref="RunAsync"/>: what runs and the revision the mode would choose; nothing posted or written.</summary>
    public async Task<StepPreview> PreviewAsync(long toRevision, bool previousGood, CancellationToken cancellationToken)
    {
        var live = Parse(await change.Client.GetRawAsync(workload.Path(ns, name), cancellationToken));
        var owned = await ListOwnedAsync(live, cancellationToken);
        var template = live.Spec.Template;
        var current = Live(template, owned)?.Revision;
        var running = WorkloadVersion.Describe(Resource, WorkloadVersion.Images(template), current);
        if (previousGood)
        {
            var choice = await ChoosePreviousGoodAsync(current, owned, cancellationToken);
            if (choice.Error is not null)
            {
                return new StepPreview(running, null);
            }

            toRevision = choice.Revision;
        }

        var (target, _) = ControllerRevisionHistory.Find(owned, toRevision);
        return new StepPreview(running, target is null ? null : WorkloadVersion.Describe(Resource, WorkloadVersion.Images(target.Data), target.Revision));
    }

    // The revision whose data is the live template, what the incident says it left: kubectl does not need it; the
    // incident does. Bytes first, as kubectl compares; by value for data not Go-encoded.
    private static ControllerRevision? Live(JsonObject? template, IReadOnlyList<ControllerRevision> owned) =>
        owned.FirstOrDefault(r => ControllerRevisionHistory.Matches(template, r))
        ?? owned.Where(r => ControllerRevisionHistory.HoldsTemplateOf(template, r)).MaxBy(r => r.Revision);

    // Known-bad marks are kept by ControllerRevision name (owner and template hash), which stays with the template
    // when the controller renumbers it.
    private Task<PreviousGood.Choice> ChoosePreviousGoodAsync(long? current, IReadOnlyList<ControllerRevision> owned, CancellationToken cancellationToken) =>
        PreviousGood.ChooseAsync(
            context.Journal,
            Resource,
            current,
            [.. owned.Select(r => new PreviousGood.Candidate(r.Revision, r.Metadata.Name ?? Text(r.Revision), $"ControllerRevision {r.Metadata.Name}"))],
            cancellationToken);

    // One model for both kinds: only metadata, selector and template are read, and the raw body is what is saved.
    private StatefulSet Parse(string raw)
    {
        var live = ObjectSnapshot.Parse(raw, KubernetesJsonContext.Default.StatefulSet);
        live.Kind ??= workload.Kind;
        live.ApiVersion ??= "apps/v1";
        return live;
    }

    private async Task<List<ControllerRevision>> ListOwnedAsync(StatefulSet live, CancellationToken cancellationToken)
    {
        var selector = live.Spec.Selector?.ToQuery() ?? "";
        var all = await change.Client.ListAllAsync(KubernetesPaths.ControllerRevisions(ns), new KubernetesListOptions { LabelSelector = selector }, KubernetesJsonContext.Default.KubernetesListControllerRevision, cancellationToken);
        return ControllerRevisionHistory.Owned(live, all);
    }

    private static string Text(long? revision) => revision?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
}
