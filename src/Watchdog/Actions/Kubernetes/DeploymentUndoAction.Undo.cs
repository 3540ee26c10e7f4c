using System.Globalization;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

internal sealed partial class DeploymentUndoAction
{
    /// <summary>One execution: the steps of kubectl's rollback, on the deployment <paramref name="change"/> holds once read.</summary>
    private sealed class Undo(ObjectChange change, ActionContext context, string name, string ns, string resource)
    {
        public async Task<ActionResult> RunAsync(long toRevision, string mode, CancellationToken cancellationToken)
        {
            var path = KubernetesPaths.Deployment(ns, name);
            var read = await WorkloadHistoryReader.ReadAsync(
                change, context, resource, path, ("deployment", "ReplicaSet"), Parse, d => DeploymentHistory.ListOwnedAsync(change.Client, ns, d, cancellationToken), cancellationToken);
            var (raw, deployment, owned) = (read.Raw, read.Workload, read.History);
            var current = DeploymentHistory.Revision(deployment);
            change.Object = deployment;
            var running = WorkloadVersion.Describe(resource, WorkloadVersion.Images(deployment.Spec.Template), current);
            change.Before = running;
            if (read.Unsettled is { } unsettled)
            {
                return await change.FailAsync(unsettled, cancellationToken);
            }

            var (chosen, refused, explanation) = await ChooseAsync(context.Journal, resource, deployment, owned, toRevision, mode, cancellationToken);
            if (refused is not null)
            {
                return await change.FailAsync(refused, cancellationToken);
            }

            if (explanation is not null)
            {
                await context.Journal.ProgressAsync(explanation, null, cancellationToken);
            }

            toRevision = chosen;

            // kubectl's order: the revision lookup first, so a missing revision wins over a paused deployment.
            var (target, revision, error) = DeploymentHistory.Find(name, owned, toRevision);
            if (target is null)
            {
                return await change.FailAsync(error!, cancellationToken);
            }

            if (deployment.Spec.Paused == true)
            {
                return await change.FailAsync("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again", cancellationToken);
            }

            var revisionText = revision.ToString(CultureInfo.InvariantCulture);
            if (await context.Journal.IsBadRevisionAsync(new RevisionRef(resource, BadRevisionKey(target, revision)), cancellationToken))
            {
                return await change.FailAsync($"refused: revision {revisionText} of {resource} was rolled back from before (known bad)", cancellationToken);
            }

            if (PodTemplateEquality.EqualIgnoringHash(target.Spec.Template, deployment.Spec.Template))
            {
                // kubectl prints the requested number (0 for a plain undo); the resolved one says more on an incident.
                var skipped = $"skipped rollback (current template already matches revision {revisionText})";
                var posted = await change.PostEventAsync(skipped, warning: false, cancellationToken);
                return ActionResult.Success(skipped) with
                {
                    Before = running,
                    After = running,
                    Detail = DetailJson(current, revision, patched: false, posted),
                };
            }

            // The runbook's "backup current state": the deployment exactly as the server sent it, before any change.
            await context.Journal.SaveStateAsync(resource, raw, cancellationToken);
            var (outcome, failure) = await PatchAsync(path, raw, target, revisionText, cancellationToken);
            if (failure is not null)
            {
                return await change.FailAsync(failure, cancellationToken);
            }

            var landed = WorkloadVersion.DescribeRestored(resource, WorkloadVersion.Images(target.Spec.Template), revision, Renumbered(owned, target, revision));
            if (outcome == PatchOutcome.FoundInPlace)
            {
                return await FoundInPlaceAsync(current, revision, running, landed, cancellationToken);
            }

            var summary = $"rolled back {resource} from revision {current} to revision {revisionText}";
            var eventPosted = await change.PostEventAsync($"Watchdog {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
            return ActionResult.Success(summary) with
            {
                Before = running,
                After = landed,
                Detail = DetailJson(current, revision, patched: true, eventPosted),
                RolledBackFrom = DeploymentHistory.Current(deployment, owned) is { } left
                    ? new RevisionRef(resource, BadRevisionKey(left, current ?? 0))
                    : new RevisionRef(resource, current?.ToString(CultureInfo.InvariantCulture) ?? ""),
            };
        }

        /// <summary>
        /// The revision the mode asks for: <paramref name="toRevision"/> (0: kubectl's previous) for <c>previous</c>, else
        /// the mode's own choice, with why it was refused or what it passed over. Reads only; the run and the preview share it.
        /// </summary>
        public static async Task<(long Revision, string? Error, string? Explanation)> ChooseAsync(
            IActionJournal journal, string resource, Deployment deployment, IReadOnlyList<ReplicaSet> owned, long toRevision, string mode, CancellationToken cancellationToken)
        {
            if (mode == PreviousGood.Mode)
            {
                var live = DeploymentHistory.Current(deployment, owned) is { } set ? DeploymentHistory.Revision(set) : null;
                var choice = await PreviousGood.ChooseAsync(journal, resource, live, Candidates(owned), cancellationToken);
                return (choice.Revision, choice.Error, choice.Explanation);
            }

            if (mode == LastKnownGoodMode)
            {
                var choice = LastKnownGood.Choose(resource, await journal.ListKnownGoodAsync(resource, cancellationToken), deployment, owned);
                return (choice.Revision, choice.Error, choice.Explanation);
            }

            return (toRevision, null, null);
        }

        /// <summary>The history as <see cref="PreviousGood"/> reads it: the ReplicaSets kubectl counts (a parsable revision).</summary>
        private static List<PreviousGood.Candidate> Candidates(IEnumerable<ReplicaSet> owned) =>
        [
            .. owned.Select(rs => (Set: rs, Revision: DeploymentHistory.Revision(rs)))
                .Where(r => r.Revision is not null)
                .Select(r => new PreviousGood.Candidate(
                    r.Revision!.Value,
                    BadRevisionKey(r.Set, r.Revision.Value),
                    DeploymentHistory.TemplateHash(r.Set) is { } hash ? $"pod template {hash}" : $"ReplicaSet {r.Set.Metadata.Name}")),
        ];

        public static Deployment Parse(string raw)
        {
            var deployment = ObjectSnapshot.Parse(raw, KubernetesJsonContext.Default.Deployment);
            deployment.Kind ??= "Deployment";
            deployment.ApiVersion ??= "apps/v1";
            return deployment;
        }

        /// <summary>
        /// How a known-bad revision is remembered: by its pod template hash, which stays with the template when a
        /// rollback or a redeploy renumbers its ReplicaSet, so a bad release deployed again is still refused. The
        /// number only for a ReplicaSet without the label (not made by the deployment controller).
        /// </summary>
        private static string BadRevisionKey(ReplicaSet replicaSet, long revision) =>
            DeploymentHistory.TemplateHash(replicaSet) ?? revision.ToString(CultureInfo.InvariantCulture);

        /// <summary>The revision the deployment controller gives <paramref name="target"/>'s template once it is back (see <see cref="WorkloadVersion.Renumbered"/>).</summary>
        private static long Renumbered(IEnumerable<ReplicaSet> owned, ReplicaSet target, long revision) =>
            WorkloadVersion.Renumbered(revision, owned.Where(rs => !ReferenceEquals(rs, target)).Select(DeploymentHistory.Revision).OfType<long>());

        private async Task<ActionResult> FoundInPlaceAsync(long? current, long revision, string running, string landed, CancellationToken cancellationToken)
        {
            var found = FoundInPlace(resource, current, revision);
            var posted = await change.PostEventAsync($"Watchdog: {found} (incident {context.Incident.Id})", warning: false, cancellationToken);
            return ActionResult.Success(found) with
            {
                Before = running,
                After = landed,
                Detail = DetailJson(current, revision, patched: false, posted),
            };
        }

        /// <summary>kubectl's PATCH, under a resourceVersion precondition (<see cref="PreconditionedPatch"/>).</summary>
        /// <returns>How it ended, and the failure's words when it failed (a conflict or the server's error).</returns>
        private async Task<(PatchOutcome Outcome, string? Failure)> PatchAsync(string path, string raw, ReplicaSet target, string revisionText, CancellationToken cancellationToken)
        {
            try
            {
                var outcome = await PreconditionedPatch.SendAsync(
                    change,
                    context,
                    resource,
                    path,
                    raw,
                    read => change.Client.PatchAsync(path, KubernetesPatchType.Json, DeploymentRollbackPatch.Build(ObjectSnapshot.Parse(read, KubernetesJsonContext.Default.Deployment), target).ToJsonString(), KubernetesJsonContext.Default.Deployment, preconditioned: true, cancellationToken),
                    now => PodTemplateEquality.EqualIgnoringHash(ObjectSnapshot.Parse(now, KubernetesJsonContext.Default.Deployment).Spec.Template, target.Spec.Template),
                    cancellationToken);
                return (outcome, outcome == PatchOutcome.Conflict ? "conflict: the deployment changed, not rolled back" : null);
            }
            catch (KubernetesStatusException ex)
            {
                return (PatchOutcome.Conflict, ex.Code == 404 ? $"deployment {ns}/{name} not found" : $"failed restoring revision {revisionText}: {ex.Message}");
            }
        }
    }
}
