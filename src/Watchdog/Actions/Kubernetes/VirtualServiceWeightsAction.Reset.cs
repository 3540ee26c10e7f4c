using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

internal sealed partial class VirtualServiceWeightsAction
{
    /// <summary>One execution, on the VirtualService <paramref name="change"/> holds once read.</summary>
    private sealed class Reset(ObjectChange change, ActionContext context, string name, string ns, string apiVersion)
    {
        private readonly string _path = KubernetesPaths.Namespaced("networking.istio.io", apiVersion.Split('/')[1], ns, "virtualservices", name);
        private readonly string _display = $"virtualservice {ns}/{name}";

        private string Resource { get; } = $"virtualservice/{ns}/{name}";

        public async Task<ActionResult> RunAsync(StableDestination stable, string? routeName, CancellationToken cancellationToken)
        {
            ObjectSnapshot virtualService;
            try
            {
                virtualService = await ObjectSnapshot.GetAsync(change.Client, _path, "VirtualService", apiVersion, cancellationToken);
            }
            catch (KubernetesStatusException ex) when (ex.Code == 404 && ex.Status.Details is null)
            {
                // A real NotFound Status names the object; a bare 404 means the API server does not serve the resource at all.
                return ActionResult.Failure($"{_display}: the API server does not serve {apiVersion} virtualservices (is Istio installed? is api_version right?)");
            }

            change.Object = virtualService.Typed;
            var (routes, error) = VirtualServiceWeightPlan.Plan(virtualService.Json, stable, routeName, _display);
            if (routes is null)
            {
                return await change.FailAsync(error!, cancellationToken);
            }

            var before = VirtualServiceWeightPlan.Describe(routes, after: false);
            change.Before = before;
            var after = VirtualServiceWeightPlan.Describe(routes, after: true);
            if (!routes.Any(r => r.Changes))
            {
                var skipped = $"skipped ({_display} already sends all traffic to {stable}: {before})";
                var posted = await change.PostEventAsync($"Watchdog {skipped} (incident {context.Incident.Id})", warning: false, cancellationToken);
                return ActionResult.Success(skipped) with { Before = before, After = before, Detail = Detail(routes, patched: false, posted) };
            }

            // The runbook's "backup current state": the object exactly as the server sent it, before any change.
            await context.Journal.SaveStateAsync(Resource, virtualService.Raw, cancellationToken);
            var patch = VirtualServiceWeightPlan.Patch(virtualService.ResourceVersion ?? "", routes).ToJsonString();
            try
            {
                await change.Client.PatchAsync(_path, KubernetesPatchType.Json, patch, KubernetesJsonContext.Default.GenericObject, preconditioned: true, cancellationToken);
            }
            catch (KubernetesStatusException ex) when (ex.Code == 409 || ex.Code == 422 && ex.Status.Details?["causes"] is not JsonArray { Count: > 0 })
            {
                // A retried PATCH whose first attempt was applied (its answer lost to a 5xx or a timeout) fails its own
                // tests: only weights other than the ones wanted are a real conflict.
                var now = await ObjectSnapshot.GetAsync(change.Client, _path, "VirtualService", apiVersion, cancellationToken);
                if (VirtualServiceWeightPlan.Plan(now.Json, stable, routeName, _display).Routes is not { } nowRoutes || nowRoutes.Any(r => r.Changes))
                {
                    return await change.FailAsync("conflict: the VirtualService changed; weights not reset", cancellationToken);
                }
            }
            catch (KubernetesStatusException ex)
            {
                return await change.FailAsync(ex.Code == 404 ? $"{_display} not found" : $"failed resetting the weights of {Resource}: {ex.Message}", cancellationToken);
            }

            var summary = $"{Resource}: all traffic to {stable} ({before} -> {after})";
            var eventPosted = await change.PostEventAsync($"Watchdog sent {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
            return ActionResult.Success(summary) with { Before = before, After = after, Detail = Detail(routes, patched: true, eventPosted) };
        }

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
