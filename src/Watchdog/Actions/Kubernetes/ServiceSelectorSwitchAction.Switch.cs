using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

public sealed partial class ServiceSelectorSwitchAction
{
    /// <summary>One execution: the Service it read, for error reports and the event.</summary>
    private sealed class Switch(KubernetesClient client, ActionContext context, string name, string ns)
    {
        private readonly string _path = KubernetesPaths.Namespaced("", "v1", ns, "services", name);

        public string Resource { get; } = $"service/{ns}/{name}";

        public ObjectSnapshot? Service { get; private set; }

        private string? Before => Service?.Json["spec"]?["selector"] is JsonObject selector ? SelectorLabels.Format(ServiceSelectorPatch.Labels(selector)) : null;

        public async Task<ActionResult> RunAsync(SelectorLabels wanted, SelectorLabels? expect, bool requireReadyPods, CancellationToken cancellationToken)
        {
            var service = await ObjectSnapshot.GetAsync(client, _path, "Service", "v1", cancellationToken);
            Service = service;
            if (service.Json["spec"]?["selector"] is not JsonObject { Count: > 0 } selector)
            {
                return await FailAsync($"service {ns}/{name} has no selector (its endpoints are not chosen by labels); not switching", cancellationToken);
            }

            var before = Before!;
            var desired = SelectorLabels.Format(ServiceSelectorPatch.Desired(selector, wanted));

            // Before expect: a step resumed after its switch went through finds the new selector and must not call it a mismatch.
            if (ServiceSelectorPatch.AlreadySelects(selector, wanted))
            {
                var skipped = $"skipped (already selects {before})";
                var posted = await PostEventAsync($"Watchdog {skipped} on {Resource} (incident {context.Incident.Id})", warning: false, cancellationToken);
                return ActionResult.Success(skipped) with { Before = before, After = before, Detail = Detail(before, before, patched: false, posted, null) };
            }

            if (expect is not null && expect.Pairs.Any(p => selector[p.Key]?.GetValue<string>() != p.Value))
            {
                return await FailAsync($"service {ns}/{name} selects {before}, not {expect}; not switching", cancellationToken);
            }

            int? readyPods = null;
            if (requireReadyPods)
            {
                var pods = await client.ListAllAsync(KubernetesPaths.Namespaced("", "v1", ns, "pods"), new KubernetesListOptions { LabelSelector = desired }, KubernetesJsonContext.Default.KubernetesListPod, cancellationToken);
                readyPods = pods.Count(PodReadiness.IsReady);
                if (readyPods == 0)
                {
                    return await FailAsync($"no ready pods match {desired}; not switching traffic to nothing", cancellationToken);
                }
            }

            // The runbook's "backup current state": the Service exactly as the server sent it, before any change.
            await context.Journal.SaveStateAsync(Resource, service.Raw, cancellationToken);
            var patch = ServiceSelectorPatch.Build(service.Json, wanted).ToJsonString();
            try
            {
                await client.PatchAsync(_path, KubernetesPatchType.Json, patch, KubernetesJsonContext.Default.Service, cancellationToken);
            }
            catch (KubernetesStatusException ex) when (ex.Code == 409 || ex.Code == 422 && IsFailedTest(ex))
            {
                // A retried PATCH whose first attempt was applied (its answer lost to a 5xx or a timeout) fails its own
                // test: only a selector other than the one wanted is a real conflict.
                var now = await ObjectSnapshot.GetAsync(client, _path, "Service", "v1", cancellationToken);
                if (now.Json["spec"]?["selector"] is not JsonObject nowSelector || SelectorLabels.Format(ServiceSelectorPatch.Labels(nowSelector)) != desired)
                {
                    return await FailAsync("conflict: the Service changed; not switched", cancellationToken);
                }
            }
            catch (KubernetesStatusException ex)
            {
                return await FailAsync(ex.Code == 404 ? $"service {ns}/{name} not found" : $"failed switching {Resource} to {desired}: {ex.Message}", cancellationToken);
            }

            var summary = $"switched {Resource} from {before} to {desired}";
            var eventPosted = await PostEventAsync($"Watchdog {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
            return ActionResult.Success(summary) with { Before = before, After = desired, Detail = Detail(before, desired, patched: true, eventPosted, readyPods) };
        }

        public async Task<ActionResult> FailAsync(string reason, CancellationToken cancellationToken)
        {
            if (Service is not null)
            {
                await PostEventAsync($"Watchdog did not switch {Resource} (incident {context.Incident.Id}): {reason}", warning: true, cancellationToken);
            }

            return ActionResult.Failure(reason) with { Before = Before };
        }

        /// <summary>A 422 with no causes is the generic answer to a failed JSON Patch <c>test</c>; one with causes is a real validation error.</summary>
        private static bool IsFailedTest(KubernetesStatusException ex) => ex.Status.Details?["causes"] is not JsonArray { Count: > 0 };

        private Task<bool> PostEventAsync(string message, bool warning, CancellationToken cancellationToken) =>
            StepEvents.PostAsync(client, context, Service!.Typed, Resource, message, warning, cancellationToken);

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
