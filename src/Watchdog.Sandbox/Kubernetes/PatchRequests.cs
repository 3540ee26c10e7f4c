using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>The three patch types as the API server takes them: media type checked, body parsed, applied to an object.</summary>
internal static class PatchRequests
{
    /// <summary>The patch of a request, or the Status for a media type or body the server refuses.</summary>
    public static async Task<(string ContentType, JsonNode? Patch, StoreResult? Error)> ReadAsync(HttpContext context, ResourceType type)
    {
        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        if (contentType is not ("application/json-patch+json" or "application/merge-patch+json" or "application/strategic-merge-patch+json")
            || contentType == "application/strategic-merge-patch+json" && !type.AcceptsStrategicMerge)
        {
            return (contentType, null, StoreResult.Fail(ApiStatus.UnsupportedMediaType(type)));
        }

        try
        {
            return (contentType, await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted), null);
        }
        catch (JsonException e)
        {
            return (contentType, null, StoreResult.Fail(ApiStatus.BadRequest($"error decoding patch: {e.Message}")));
        }
    }

    public static StoreResult Apply(string contentType, JsonNode? patch, JsonObject current)
    {
        patch = patch?.DeepClone(); // applied again on a fresh read after a conflict, so never consumed
        switch (contentType)
        {
            case "application/json-patch+json":
                if (patch is not JsonArray operations)
                {
                    return StoreResult.Fail(ApiStatus.BadRequest("the server rejected our request due to an error in our request"));
                }

                JsonNode? target = current;
                return JsonPatch.TryApply(operations, ref target) && target is JsonObject patchedObject
                    ? StoreResult.Ok(patchedObject)
                    : StoreResult.Fail(ApiStatus.PatchRejected());
            case "application/merge-patch+json":
                return patch is JsonObject mergePatch
                    ? StoreResult.Ok((JsonObject)MergePatch.Apply(current, mergePatch)!)
                    : StoreResult.Fail(ApiStatus.BadRequest("the server rejected our request due to an error in our request"));
            default:
                return patch is JsonObject strategicPatch
                    ? StoreResult.Ok(StrategicMergePatch.Apply(current, strategicPatch))
                    : StoreResult.Fail(ApiStatus.BadRequest("the server rejected our request due to an error in our request"));
        }
    }
}
