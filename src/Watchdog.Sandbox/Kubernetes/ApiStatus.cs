using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>A failed request as the API server reports it: a <c>Status</c> object whose <c>code</c> is the HTTP status.</summary>
internal sealed record ApiStatus(int Code, string Reason, string Message, JsonObject? Details)
{
    public JsonObject ToJson()
    {
        var body = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
        {
            body["details"] = Details.DeepClone();
        }

        body["code"] = Code;
        return body;
    }

    public static ApiStatus NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedPlural} \"{name}\" not found", Describe(type, name, type.Plural));

    public static ApiStatus Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Describe(type, name, type.Plural));

    public static ApiStatus AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedPlural} \"{name}\" already exists", Describe(type, name, type.Plural));

    /// <summary>
    /// A PUT without a resourceVersion to a resource whose strategy refuses unconditional updates (a Lease): the store's
    /// Invalid error, which names the resource (<c>leases.coordination.k8s.io</c>), not the Kind, in message and details.
    /// </summary>
    public static ApiStatus ResourceVersionRequired(ResourceType type, string name)
    {
        const string Field = "metadata.resourceVersion";
        const string Message = "Invalid value: 0: must be specified for an update";
        var details = Describe(type, name, type.Plural);
        details["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = Message, ["field"] = Field });
        return new(422, "Invalid", $"{type.QualifiedPlural} \"{name}\" is invalid: {Field}: {Message}", details);
    }

    /// <summary>A failed JSON Patch operation: the real server answers with this generic message and empty details.</summary>
    public static ApiStatus PatchRejected() =>
        new(422, "Invalid", "the server rejected our request due to an error in our request", new JsonObject());

    public static ApiStatus Invalid(ResourceType type, string name, IReadOnlyList<(string Field, string Message)> causes)
    {
        var details = Describe(type, name, type.Kind);
        var array = new JsonArray();
        foreach (var (field, message) in causes)
        {
            array.Add(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = field });
        }

        details["causes"] = array;
        var joined = causes.Count == 1
            ? $"{causes[0].Field}: {causes[0].Message}"
            : "[" + string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}")) + "]";
        return new(422, "Invalid", $"{type.QualifiedKind} \"{name}\" is invalid: {joined}", details);
    }

    public static ApiStatus UnsupportedMediaType(ResourceType? type)
    {
        var accepted = type is { AcceptsStrategicMerge: false }
            ? "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
            : "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml";
        return new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {accepted}", null);
    }

    /// <summary>
    /// A request the authorizer refused: <c>deployments.apps "web" is forbidden: User "U" cannot patch resource
    /// "deployments/scale" in API group "apps" in the namespace "ns"</c> (no name part for a list or a create).
    /// </summary>
    public static ApiStatus Forbidden(RequestAttributes request, string user)
    {
        ArgumentNullException.ThrowIfNull(request);
        var qualified = request.Group.Length == 0 ? request.Resource : $"{request.Resource}.{request.Group}";
        var target = request.Name is null ? qualified : $"{qualified} \"{request.Name}\"";
        var resource = request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}";
        var scope = request.Namespace is null ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        var details = new JsonObject();
        if (request.Name is not null)
        {
            details["name"] = request.Name;
        }

        if (request.Group.Length > 0)
        {
            details["group"] = request.Group;
        }

        details["kind"] = request.Resource;
        return new(403, "Forbidden", $"{target} is forbidden: User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.Group}\" {scope}", details);
    }

    public static ApiStatus BadRequest(string message) => new(400, "BadRequest", message, null);

    public static ApiStatus MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", null);

    private static JsonObject Describe(ResourceType type, string name, string kind)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = kind;
        return details;
    }
}
