namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// What the API server's authorizer sees of a resource request: the verb mapped from the HTTP method (a GET of one object
/// is <c>get</c>, of a collection <c>list</c>, or <c>watch</c> with <c>watch=true</c>), the group, the resource and
/// subresource, the namespace and the name. Read from the path alone, so a resource the simulator does not serve (a
/// Secret) is judged like any other.
/// </summary>
internal sealed record RequestAttributes(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name)
{
    /// <summary>The attributes of a resource request, or null for a non-resource path (discovery, /version, /openapi).</summary>
    public static RequestAttributes? Parse(string method, string path, string? watch)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var (group, rest) = segments switch
        {
            ["api", _, .. var r] => ("", r),
            ["apis", var g, _, .. var r] => (g, r),
            _ => ("", []),
        };
        if (rest.Length == 0)
        {
            return null;
        }

        string? ns = null;
        if (rest is ["namespaces", var n, _, ..])
        {
            ns = n;
            rest = rest[2..];
        }

        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        var verb = (method, name) switch
        {
            ("GET", null) => watch is "true" or "1" ? "watch" : "list",
            ("GET", _) => "get",
            ("POST", _) => "create",
            ("PUT", _) => "update",
            ("PATCH", _) => "patch",
            ("DELETE", null) => "deletecollection",
            ("DELETE", _) => "delete",
            _ => method.ToLowerInvariant(),
        };
        return new RequestAttributes(verb, group, rest[0], subresource, ns, name);
    }
}
