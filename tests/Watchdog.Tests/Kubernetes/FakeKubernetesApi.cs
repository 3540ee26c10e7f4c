using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Tests.Kubernetes;

/// <summary>
/// A small Kubernetes API on 127.0.0.1 (Kestrel) for the client and deployment-undo tests: deployments and
/// ReplicaSets in namespace <c>default</c>, GET/LIST/JSON PATCH with a resourceVersion precondition, POST events,
/// Status errors as the real server writes them, and scripted answers that override everything.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeApiRequest> _requests = new();
    private readonly Lock _gate = new();
    private int _resourceVersion = 100;
    private LoopbackServer _server = null!;

    private FakeKubernetesApi()
    {
    }

    public Uri BaseUrl => _server.Url;

    public Dictionary<string, JsonObject> Deployments { get; } = [];

    public List<JsonObject> ReplicaSets { get; } = [];

    public List<JsonObject> Events { get; } = [];

    /// <summary>Answers for the next requests, in turn, before any behaviour: (status, body).</summary>
    public ConcurrentQueue<(int Status, string Body)> Scripted { get; } = new();

    /// <summary>A status for every POST of an event (e.g. 403), instead of storing it.</summary>
    public int? EventStatus { get; set; }

    /// <summary>Items per LIST page; more items come with a <c>continue</c> token.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Runs before a PATCH is applied: a test changes the deployment here to simulate a concurrent writer.</summary>
    public Action<JsonObject>? BeforePatch { get; set; }

    /// <summary>The answer to every PATCH of a deployment instead of applying it (e.g. a 422).</summary>
    public (int Status, string Body)? PatchAnswer { get; set; }

    /// <summary>Applies the next PATCH but answers 503, as when a server's answer is lost after it committed.</summary>
    public bool LoseNextPatchAnswer { get; set; }

    public IReadOnlyList<FakeApiRequest> Requests => [.. _requests];

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var api = new FakeKubernetesApi();
        api._server = await LoopbackServer.StartAsync(app => app.Run(api.AnswerAsync));
        return api;
    }

    /// <summary>
    /// Deployment <paramref name="name"/> at revision <paramref name="current"/> (its template the image
    /// <c>NAME:vCURRENT</c>) with one owned ReplicaSet per revision 1..<paramref name="revisions"/>, plus a ReplicaSet
    /// with the same labels owned by someone else.
    /// </summary>
    public void SeedDeployment(string name, int current, int revisions)
    {
        Deployments[name] = new JsonObject
        {
            ["kind"] = "Deployment",
            ["apiVersion"] = "apps/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "default",
                ["uid"] = $"uid-{name}",
                ["resourceVersion"] = NextVersion(),
                ["generation"] = current,
                ["creationTimestamp"] = "2026-01-01T00:00:00Z",
                ["labels"] = new JsonObject { ["app"] = name },
                ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = $"{current}", ["team"] = "payments" },
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 3,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = Template(name, $"{name}:v{current}", hash: null),
                ["strategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" } },
                ["revisionHistoryLimit"] = 10,
                ["progressDeadlineSeconds"] = 600,
            },
            ["status"] = new JsonObject { ["observedGeneration"] = current, ["replicas"] = 3 },
        };
        for (var revision = 1; revision <= revisions; revision++)
        {
            ReplicaSets.Add(ReplicaSet(name, $"{name}-{revision}aaa", $"uid-{name}", revision, $"{name}:v{revision}"));
        }

        ReplicaSets.Add(ReplicaSet(name, $"{name}-stranger", "uid-someone-else", 99, $"{name}:v99"));
    }

    /// <summary>A pod template in the order and shape Go writes it (the shape of kubectl's recorded PATCH).</summary>
    public static JsonObject Template(string name, string image, string? hash)
    {
        var labels = new JsonObject { ["app"] = name };
        if (hash is not null)
        {
            labels["pod-template-hash"] = hash;
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null, ["labels"] = labels },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = name,
                    ["image"] = image,
                    ["resources"] = new JsonObject(),
                    ["terminationMessagePath"] = "/dev/termination-log",
                    ["terminationMessagePolicy"] = "File",
                    ["imagePullPolicy"] = "IfNotPresent",
                }),
                ["restartPolicy"] = "Always",
                ["terminationGracePeriodSeconds"] = 30,
                ["dnsPolicy"] = "ClusterFirst",
                ["securityContext"] = new JsonObject(),
                ["schedulerName"] = "default-scheduler",
            },
        };
    }

    public static string StatusBody(int code, string reason, string message) =>
        new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code }.ToJsonString();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private JsonObject ReplicaSet(string deployment, string name, string ownerUid, int revision, string image) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "default",
            ["uid"] = $"uid-{name}",
            ["resourceVersion"] = NextVersion(),
            ["creationTimestamp"] = $"2026-01-0{Math.Min(revision, 9)}T00:00:00Z",
            ["labels"] = new JsonObject { ["app"] = deployment, ["pod-template-hash"] = $"{revision}aaa" },
            ["annotations"] = new JsonObject
            {
                ["deployment.kubernetes.io/desired-replicas"] = "3",
                ["deployment.kubernetes.io/max-replicas"] = "4",
                ["deployment.kubernetes.io/revision"] = $"{revision}",
            },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = deployment, ["uid"] = ownerUid, ["controller"] = true, ["blockOwnerDeletion"] = true,
            }),
        },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 0,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = deployment, ["pod-template-hash"] = $"{revision}aaa" } },
            ["template"] = Template(deployment, image, $"{revision}aaa"),
        },
        ["status"] = new JsonObject { ["replicas"] = 0 },
    };

    private string NextVersion() => $"{Interlocked.Increment(ref _resourceVersion)}";

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new FakeApiRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.ContentType,
            context.Request.Headers.Authorization.SingleOrDefault(),
            body);
        _requests.Enqueue(request);
        var (status, answer) = Scripted.TryDequeue(out var scripted) ? scripted : Answer(request);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer, context.RequestAborted);
    }

    private (int, string) Answer(FakeApiRequest request)
    {
        lock (_gate)
        {
            const string Deployments = "/apis/apps/v1/namespaces/default/deployments/";
            if (request.Path.StartsWith(Deployments, StringComparison.Ordinal))
            {
                var name = request.Path[Deployments.Length..];
                if (!this.Deployments.TryGetValue(name, out var deployment))
                {
                    return (404, $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"{{name}}\" not found","reason":"NotFound","details":{"name":"{{name}}","group":"apps","kind":"deployments"},"code":404}""");
                }

                return request.Method switch
                {
                    "GET" => (200, deployment.ToJsonString()),
                    "PATCH" => Patch(name, deployment, request),
                    _ => (405, StatusBody(405, "MethodNotAllowed", "method not allowed")),
                };
            }

            if (request.Path == "/apis/apps/v1/namespaces/default/replicasets" && request.Method == "GET")
            {
                return (200, List(request.Query));
            }

            if (request.Path == "/api/v1/namespaces/default/events" && request.Method == "POST")
            {
                if (EventStatus is { } status)
                {
                    return (status, StatusBody(status, status == 403 ? "Forbidden" : "InternalError", "events are refused here"));
                }

                Events.Add(JsonNode.Parse(request.Body)!.AsObject());
                return (201, request.Body);
            }

            return (404, "404 page not found");
        }
    }

    private string List(string query)
    {
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        var selector = parameters.TryGetValue("labelSelector", out var s) ? s.ToString() : "";
        var matching = ReplicaSets.Where(rs => selector.Split(',', StringSplitOptions.RemoveEmptyEntries).All(requirement =>
        {
            var (key, value) = (requirement.Split('=')[0], requirement.Split('=')[1]);
            return rs["metadata"]!["labels"]![key]?.GetValue<string>() == value;
        })).ToList();
        var start = parameters.TryGetValue("continue", out var c) ? int.Parse(c.ToString(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        var page = matching.Skip(start).Take(PageSize).Select(rs => (JsonNode)rs.DeepClone()).ToArray();
        var metadata = new JsonObject { ["resourceVersion"] = $"{_resourceVersion}" };
        if (start + PageSize < matching.Count)
        {
            metadata["continue"] = $"{start + PageSize}";
        }

        return new JsonObject { ["kind"] = "ReplicaSetList", ["apiVersion"] = "apps/v1", ["metadata"] = metadata, ["items"] = new JsonArray(page) }.ToJsonString();
    }

    private (int, string) Patch(string name, JsonObject deployment, FakeApiRequest request)
    {
        if (request.ContentType != "application/json-patch+json; charset=utf-8" && request.ContentType != "application/json-patch+json")
        {
            return (415, StatusBody(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml"));
        }

        BeforePatch?.Invoke(deployment);
        if (PatchAnswer is { } answer)
        {
            return answer;
        }

        var patched = deployment.DeepClone().AsObject();
        foreach (var op in JsonNode.Parse(request.Body)!.AsArray())
        {
            var path = op!["path"]!.GetValue<string>().Split('/', StringSplitOptions.RemoveEmptyEntries);
            var parent = patched;
            foreach (var segment in path[..^1])
            {
                parent = parent[segment]!.AsObject();
            }

            if (op["op"]!.GetValue<string>() != "replace" || !parent.ContainsKey(path[^1]))
            {
                return (422, StatusBody(422, "Invalid", "the server rejected our request due to an error in our request"));
            }

            parent[path[^1]] = op["value"]?.DeepClone();
        }

        // store.go: a resourceVersion in the patched object is a precondition.
        if (patched["metadata"]!["resourceVersion"]!.GetValue<string>() != deployment["metadata"]!["resourceVersion"]!.GetValue<string>())
        {
            return (409, $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on deployments.apps \"{{name}}\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"{{name}}","group":"apps","kind":"deployments"},"code":409}""");
        }

        patched["metadata"]!["resourceVersion"] = NextVersion();
        Deployments[name] = patched;
        if (LoseNextPatchAnswer)
        {
            LoseNextPatchAnswer = false;
            return (503, StatusBody(503, "ServiceUnavailable", "the answer was lost"));
        }

        return (200, patched.ToJsonString());
    }
}
