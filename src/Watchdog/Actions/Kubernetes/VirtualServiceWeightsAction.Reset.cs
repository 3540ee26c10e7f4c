using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

public sealed partial class VirtualServiceWeightsAction
{
    /// <summary>One execution: the VirtualService it read, for error reports and the event.</summary>
    private sealed class Reset(KubernetesClient client, ActionContext context, string name, string ns, string apiVersion)
    {
        private readonly string _path = KubernetesPaths.Namespaced("networking.istio.io", apiVersion.Split('/')[1], ns, "virtualservices", name);
        private readonly string _display = $"virtualservice {ns}/{name}";
        private string? _before;

        public string Resource { get; } = $"virtualservice/{ns}/{name}";

        public ObjectSnapshot? VirtualService { get; private set; }

        public async Task<ActionResult> RunAsync(StableDestination stable, string? routeName, CancellationToken cancellationToken)
        {
            var virtualService = await ObjectSnapshot.GetAsync(client, _path, "VirtualService", apiVersion, cancellationToken);
            VirtualService = virtualService;
            var (routes, error) = VirtualServiceWeightPlan.Plan(virtualService.Json, stable, routeName, _display);
            if (routes is null)
            {
                return await FailAsync(error!, cancellationToken);
            }

            _before = VirtualServiceWeightPlan.Describe(routes, after: false);
            var after = VirtualServiceWeightPlan.Describe(routes, after: true);
            if (!routes.Any(r => r.Changes))
            {
                var skipped = $"skipped ({_display} already sends all traffic to {stable}: {_before})";
                var posted = await PostEventAsync($"Watchdog {skipped} (incident {context.Incident.Id})", warning: false, cancellationToken);
                return ActionResult.Success(skipped) with { Before = _before, After = _before, Detail = Detail(routes, patched: false, posted) };
            }

            // The runbook's "backup current state": the object exactly as the server sent it, before any change.
            await context.Journal.SaveStateAsync(Resource, virtualService.Raw, cancellationToken);
            var patch = VirtualServiceWeightPlan.Patch(virtualService.ResourceVersion ?? "", routes).ToJsonString();
            try
            {
                await client.PatchAsync(_path, KubernetesPatchType.Json, patch, KubernetesJsonContext.Default.GenericObject, cancellationToken);
            }
            catch (KubernetesStatusException ex) when (ex.Code == 409 || ex.Code == 422 && ex.Status.Details?["causes"] is not JsonArray { Count: > 0 })
            {
                // A retried PATCH whose first attempt was applied (its answer lost to a 5xx or a timeout) fails its own
                // tests: only weights other than the ones wanted are a real conflict.
                var now = await ObjectSnapshot.GetAsync(client, _path, "VirtualService", apiVersion, cancellationToken);
                if (VirtualServiceWeightPlan.Plan(now.Json, stable, routeName, _display).Routes is not { } nowRoutes || nowRoutes.Any(r => r.Changes))
                {
                    return await FailAsync("conflict: the VirtualService changed; weights not reset", cancellationToken);
                }
            }
            catch (KubernetesStatusException ex)
            {
                return await FailAsync(ex.Code == 404 ? $"{_display} not found" : $"failed resetting the weights of {Resource}: {ex.Message}", cancellationToken);
            }

            var summary = $"{Resource}: all traffic to {stable} ({_before} -> {after})";
            var eventPosted = await PostEventAsync($"Watchdog sent {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
            return ActionResult.Success(summary) with { Before = _before, After = after, Detail = Detail(routes, patched: true, eventPosted) };
        }

        public async Task<ActionResult> FailAsync(string reason, CancellationToken cancellationToken)
        {
            if (VirtualService is not null)
            {
                await PostEventAsync($"Watchdog did not reset the weights of {Resource} (incident {context.Incident.Id}): {reason}", warning: true, cancellationToken);
            }

            return ActionResult.Failure(reason) with { Before = _before };
        }

        private Task<bool> PostEventAsync(string message, bool warning, CancellationToken cancellationToken) =>
            StepEvents.PostAsync(client, context, VirtualService!.Typed, Resource, message, warning, cancellationToken);

        private static string Detail(IReadOnlyList<RouteWeights> routes, bool patched, bool eventPosted) => new JsonObject
        {
            ["routes"] = new JsonArray([.. routes.Select(r => (JsonNode)new JsonObject
            {
                ["route"] = r.Label,
                ["before"] = r.Describe(after: false),
                ["after"] = r.Describe(after: true),
            })]),
            ["patched"] = patched,
            ["eventPosted"] = eventPosted,
        }.ToJsonString();
    }
}
