using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>Routes REST requests (spec §5.1) to the store: discovery, GET/LIST/WATCH, POST, PUT, PATCH, DELETE, scale and status.</summary>
internal sealed partial class ApiRequestHandler(ObjectStore store, TimeProvider time, CancellationToken stopping)
{
    // A write that lost a race is applied again to the fresh object until it wins, as the registry's GuaranteedUpdate
    // loops; the bound only keeps a test that writes in a tight loop from hanging the server.
    private const int MaxUpdateAttempts = 1000;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = (request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var host = $"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}";
        switch (segments)
        {
            case ["version"]:
                await WriteAsync(context, 200, Discovery.Version());
                return;
            case ["api"]:
                await WriteAsync(context, 200, Discovery.Api(host));
                return;
            case ["apis"]:
                await WriteAsync(context, 200, Discovery.Apis());
                return;
            case ["api", var v]:
                await WriteDiscoveryAsync(context, Discovery.Resources("", v));
                return;
            case ["apis", var g, var v]:
                await WriteDiscoveryAsync(context, Discovery.Resources(g, v));
                return;
        }

        var (group, version, rest) = segments switch
        {
            ["api", var v, .. var r] => ("", v, r),
            ["apis", var g, var v, .. var r] => (g, v, r),
            _ => ("", "", Array.Empty<string>()),
        };
        string? ns = null;
        if (rest is ["namespaces", var n, _, ..])
        {
            ns = n;
            rest = rest[2..];
        }

        var type = rest.Length > 0 ? ResourceCatalog.Find(group, version, rest[0]) : null;
        if (type is null || rest.Length > 3)
        {
            await WritePlainNotFoundAsync(context);
            return;
        }

        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        if (subresource is not null and not "scale" and not "status" || subresource == "scale" && !type.HasScaleSubresource)
        {
            await WritePlainNotFoundAsync(context);
            return;
        }

        if (name is null)
        {
            await HandleCollectionAsync(context, type, ns);
            return;
        }

        ns ??= "default";
        if (subresource == "scale")
        {
            await HandleScaleAsync(context, type, ns, name);
            return;
        }

        if (request.Method == "GET" && subresource is null && TablePrinter.Wants(request.Headers.Accept.ToString())
            && store.Get(type, ns, name) is { } printed
            && TablePrinter.Print(type, [printed], store.CurrentRevision, time.GetUtcNow()) is { } row)
        {
            await WriteAsync(context, 200, row);
            return;
        }

        var result = request.Method switch
        {
            "GET" => store.Get(type, ns, name) is { } found ? StoreResult.Ok(found) : StoreResult.Fail(ApiStatus.NotFound(type, name)),
            "PUT" => await ReadObjectAsync(context) is { } body ? store.Update(type, ns, name, body, subresource == "status") : StoreResult.Fail(ApiStatus.BadRequest("the request body is not a JSON object")),
            "PATCH" => await PatchAsync(context, type, ns, name, subresource == "status"),
            "DELETE" => store.Delete(type, ns, name),
            _ => StoreResult.Fail(ApiStatus.MethodNotAllowed()),
        };
        await WriteResultAsync(context, result, 200);
    }

    private async Task HandleCollectionAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        if (context.Request.Method == "POST")
        {
            var body = await ReadObjectAsync(context);
            var result = body is null
                ? StoreResult.Fail(ApiStatus.BadRequest("the request body is not a JSON object"))
                : store.Create(type, ns ?? "default", body);
            await WriteResultAsync(context, result, 201);
            return;
        }

        if (context.Request.Method != "GET")
        {
            await WriteAsync(context, 405, ApiStatus.MethodNotAllowed().ToJson());
            return;
        }

        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fieldName = ParseNameField(query["fieldSelector"]);
        bool Matches(JsonObject o) =>
            labels.Matches(o["metadata"]?["labels"] as JsonObject) && (fieldName is null || o["metadata"]?["name"]?.GetValue<string>() == fieldName);

        if (query["watch"] is { Count: > 0 } watch && (watch[0] == "true" || watch[0] == "1"))
        {
            await WatchAsync(context, type, ns, Matches);
            return;
        }

        var (listed, revision) = store.Snapshot(type, ns);
        if (TablePrinter.Wants(context.Request.Headers.Accept.ToString())
            && TablePrinter.Print(type, listed.Where(Matches), revision, time.GetUtcNow()) is { } table)
        {
            await WriteAsync(context, 200, table);
            return;
        }

        var items = new JsonArray();
        foreach (var item in listed.Where(Matches))
        {
            // Items in a real list carry no kind or apiVersion.
            item.Remove("kind");
            item.Remove("apiVersion");
            items.Add(item);
        }

        await WriteAsync(context, 200, new JsonObject
        {
            ["kind"] = type.Kind + "List",
            ["apiVersion"] = type.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        });
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, string? ns, Func<JsonObject, bool> matches)
    {
        var query = context.Request.Query;
        if (query["sendInitialEvents"] is { Count: > 0 })
        {
            // Streaming lists are not simulated; client-go falls back to LIST+WATCH on an error answer (spec §3.2).
            await WriteAsync(context, 400, ApiStatus.BadRequest("sendInitialEvents is not supported by this server").ToJson());
            return;
        }

        long? from = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv > 0 ? rv : null;
        var seconds = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1800;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted, stopping);
        var reader = store.Watch(type, ns, matches, from, linked.Token);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        // Headers go out at once: client-go waits for them before it treats the watch as started, even when no event follows.
        await context.Response.StartAsync(CancellationToken.None);
        await context.Response.Body.FlushAsync(CancellationToken.None);
        try
        {
            await foreach (var change in reader.ReadAllAsync(linked.Token))
            {
                var line = GoJsonText.Write(new JsonObject { ["type"] = change.EventType, ["object"] = change.Object }) + "\n";
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), linked.Token);
                await context.Response.Body.FlushAsync(linked.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // By design: the watch ends when its timeoutSeconds pass, the client goes away or the simulator stops.
        }
    }

    private async Task<StoreResult> PatchAsync(HttpContext context, ResourceType type, string ns, string name, bool statusOnly)
    {
        var (contentType, patch, error) = await PatchRequests.ReadAsync(context, type);
        if (error is not null)
        {
            return error;
        }

        // The registry's GuaranteedUpdate: a write that lost a race with another writer (a controller's status, say) is
        // applied again to the fresh object. Only a resourceVersion the patch itself carries stays a precondition,
        // because on the fresh object it no longer matches.
        for (var attempt = 1; ; attempt++)
        {
            var current = store.Get(type, ns, name);
            if (current is null)
            {
                return StoreResult.Fail(ApiStatus.NotFound(type, name));
            }

            var readVersion = ResourceVersion(current);
            var patched = PatchRequests.Apply(contentType, patch, current);
            if (patched.Object is null || context.Request.Query["dryRun"] is { Count: > 0 })
            {
                return patched;
            }

            // A resourceVersion the patch itself set is a precondition: its conflict is the answer, not a reason to retry.
            var preconditioned = ResourceVersion(patched.Object) != readVersion;
            var result = store.Update(type, ns, name, patched.Object, statusOnly);
            if (result.Error is not { Code: 409 } || preconditioned || attempt == MaxUpdateAttempts)
            {
                return result;
            }
        }
    }

    private static string? ResourceVersion(JsonObject obj) => obj["metadata"]?["resourceVersion"]?.GetValue<string>();

    private static string? ParseNameField(string? fieldSelector)
    {
        if (string.IsNullOrEmpty(fieldSelector))
        {
            return null;
        }

        var term = fieldSelector.Split(',').FirstOrDefault(t => t.StartsWith("metadata.name=", StringComparison.Ordinal));
        return term?["metadata.name=".Length..].TrimStart('=');
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task WriteResultAsync(HttpContext context, StoreResult result, int successCode) =>
        result.Error is { } error ? WriteAsync(context, error.Code, error.ToJson()) : WriteAsync(context, successCode, result.Object!);

    public static Task WriteStatusAsync(HttpContext context, ApiStatus status) => WriteAsync(context, status.Code, status.ToJson());

    private static Task WriteDiscoveryAsync(HttpContext context, JsonObject? document) =>
        document is null ? WritePlainNotFoundAsync(context) : WriteAsync(context, 200, document);

    private static async Task WritePlainNotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = 404;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("404 page not found\n", context.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(GoJsonText.Write(body), context.RequestAborted);
    }
}
