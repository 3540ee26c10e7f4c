using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

internal sealed partial class ServiceSelectorSwitchAction
{
    /// <summary>One execution, on the Service <paramref name="change"/> holds once read.</summary>
    private sealed class Switch(ObjectChange change, ActionContext context, string name, string ns)
    {
        private readonly string _path = KubernetesPaths.Namespaced("", "v1", ns, "services", name);

        private string Resource { get; } = $"service/{ns}/{name}";

        public async Task<ActionResult> RunAsync(SelectorLabels wanted, SelectorLabels? expect, bool requireReadyPods, CancellationToken cancellationToken)
        {
            var service = await ObjectSnapshot.GetAsync(change.Client, _path, "Service", "v1", cancellationToken);
            change.Object = service.Typed;
            var read = service.Json["spec"]?["selector"] as JsonObject;
            change.Before = read is null ? null : SelectorLabels.Format(ServiceSelectorPatch.Labels(read));
            if (read is not { Count: > 0 } selector)
            {
                return await change.FailAsync($"service {ns}/{name} has no selector (its endpoints are not chosen by labels); not switching", cancellationToken);
            }

            var before = change.Before!;
            var desired = SelectorLabels.Format(ServiceSelectorPatch.Desired(selector, wanted));

            // Before expect: a step resumed after its switch went through finds the new selector and must not call it a mismatch.
            if (ServiceSelectorPatch.AlreadySelects(selector, wanted))
            {
                var skipped = $"skipped (already selects {before})";
                var posted = await change.PostEventAsync($"Watchdog {skipped} on {Resource} (incident {context.Incident.Id})", warning: false, cancellationToken);
                return ActionResult.Success(skipped) with { Before = before, After = before, Detail = Detail(before, before, patched: false, posted, null) };
            }

            if (expect is not null && expect.Pairs.Any(p => selector[p.Key]?.GetValue<string>() != p.Value))
            {
                return await change.FailAsync($"service {ns}/{name} selects {before}, not {expect}; not switching", cancellationToken);
            }

            int? readyPods = null;
            if (requireReadyPods)
            {
                var pods = await change.Client.ListAllAsync(KubernetesPaths.Namespaced("", "v1", ns, "pods"), new KubernetesListOptions { LabelSelector = desired }, KubernetesJsonContext.Default.KubernetesListPod, cancellationToken);
                readyPods = pods.Count(PodReadiness.IsReady);
                if (readyPods == 0)
                {
                    return await change.FailAsync($"no ready pods match {desired}; not switching traffic to nothing", cancellationToken);
                }
            }

            // The runbook's "backup current state": the Service exactly as the server sent it, before any change.
            await context.Journal.SaveStateAsync(Resource, service.Raw, cancellationToken);
            var patch = ServiceSelectorPatch.Build(service.Json, wanted).ToJsonString();
            try
            {
                await change.Client.PatchAsync(_path, KubernetesPatchType.Json, patch, KubernetesJsonContext.Default.Service, preconditioned: true, cancellationToken);
            }
            catch (KubernetesStatusException ex) when (ex.Code == 409 || ex.Code == 422 && IsFailedTest(ex))
            {
                // A retried PATCH whose first attempt was applied (its answer lost to a 5xx or a timeout) fails its own
                // test: only a selector other than the one wanted is a real conflict.
                var now = await ObjectSnapshot.GetAsync(change.Client, _path, "Service", "v1", cancellationToken);
                if (now.Json["spec"]?["selector"] is not JsonObject nowSelector || SelectorLabels.Format(ServiceSelectorPatch.Labels(nowSelector)) != desired)
                {
                    return await change.FailAsync("conflict: the Service changed; not switched", cancellationToken);
                }
            }
            catch (KubernetesStatusException ex)
            {
                return await change.FailAsync(ex.Code == 404 ? $"service {ns}/{name} not found" : $"failed switching {Resource} to {desired}: {ex.Message}", cancellationToken);
            }

            var summary = $"switched {Resource} from {before} to {desired}";
            var eventPosted = await change.PostEventAsync($"Watchdog {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
            return ActionResult.Success(summary) with { Before = before, After = desired, Detail = Detail(before, desired, patched: true, eventPosted, readyPods) };
        }

        /// <summary>A 422 with no causes is the generic answer to a failed JSON Patch <c>test</c>; one with causes is a real validation error.</summary>
        private static bool IsFailedTest(KubernetesStatusException ex) => ex.Status.Details?["causes"] is not JsonArray { Count: > 0 };

        private static string Detail(string before, string after, bool patched, bool eventPosted, int? readyPods) => new JsonObject
        {
            ["selectorBefore"] = before,
            ["selectorAfter"] = after,
            ["readyPods"] = readyPods,
            ["patched"] = patched,
            ["eventPosted"] = eventPosted,
        }.ToJsonString();
    }
}
