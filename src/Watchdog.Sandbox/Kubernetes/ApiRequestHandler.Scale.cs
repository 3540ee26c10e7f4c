using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>The <c>scale</c> subresource (autoscaling/v1 Scale), as <c>kubectl scale</c> uses it.</summary>
internal sealed partial class ApiRequestHandler
{
    private async Task HandleScaleAsync(HttpContext context, ResourceType type, string ns, string name)
    {
        if (context.Request.Method == "GET")
        {
            var read = store.Get(type, ns, name);
            await (read is null ? WriteAsync(context, 404, ApiStatus.NotFound(type, name).ToJson()) : WriteAsync(context, 200, ToScale(read)));
            return;
        }

        JsonObject? body = null;
        (string ContentType, JsonNode? Patch, StoreResult? Error) patch = ("", null, null);
        if (context.Request.Method == "PUT")
        {
            body = await ReadObjectAsync(context);
        }
        else
        {
            patch = await PatchRequests.ReadAsync(context, type);
            if (patch.Error is not null)
            {
                await WriteResultAsync(context, patch.Error, 200);
                return;
            }
        }

        // As for a PATCH of the object: retried on a fresh read after losing a race, unless the body carried a resourceVersion.
        for (var attempt = 1; ; attempt++)
        {
            var current = store.Get(type, ns, name);
            if (current is null)
            {
                await WriteAsync(context, 404, ApiStatus.NotFound(type, name).ToJson());
                return;
            }

            var desired = body;
            if (desired is null)
            {
                var patched = PatchRequests.Apply(patch.ContentType, patch.Patch, ToScale(current));
                if (patched.Error is not null)
                {
                    await WriteResultAsync(context, patched, 200);
                    return;
                }

                desired = patched.Object;
            }

            if (desired?["spec"]?["replicas"] is not JsonValue replicasValue || !replicasValue.TryGetValue<int>(out var replicas))
            {
                await WriteAsync(context, 400, ApiStatus.BadRequest("the Scale object has no spec.replicas").ToJson());
                return;
            }

            // A body that names a resourceVersion other than the one read (a PUT of an old Scale, a patch setting one) is
            // a precondition: its conflict is the answer, not a reason to retry.
            var preconditioned = desired["metadata"]?["resourceVersion"]?.GetValue<string>() is { Length: > 0 } asked && asked != ResourceVersion(current);
            current["spec"]!["replicas"] = replicas;
            ObjectStore.Metadata(current)["resourceVersion"] = desired["metadata"]?["resourceVersion"]?.DeepClone();
            var result = store.Update(type, ns, name, current);
            if (result.Error is not { Code: 409 } || preconditioned || attempt == MaxUpdateAttempts)
            {
                await WriteResultAsync(context, result.Object is null ? result : StoreResult.Ok(ToScale(result.Object)), 200);
                return;
            }
        }
    }

    private static JsonObject ToScale(JsonObject workload)
    {
        var metadata = workload["metadata"]!;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = workload["spec"]?["replicas"]?.DeepClone() ?? 0 },
            ["status"] = new JsonObject
            {
                ["replicas"] = workload["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = LabelSelector.Format(workload["spec"]?["selector"] as JsonObject),
            },
        };
    }
}
