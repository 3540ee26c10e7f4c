namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// One RBAC rule (rbac.authorization.k8s.io/v1 PolicyRule): a request is allowed when its verb, API group and resource
/// (<c>deployments</c>, or <c>deployments/scale</c> for a subresource) are listed, <c>*</c> matching any, and, when
/// <see cref="ResourceNames"/> is not empty, its object's name is among them. A request without a name (list, create)
/// never matches a rule that names objects, as on a real API server.
/// </summary>
internal sealed record PolicyRule(IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs, IReadOnlyList<string> ResourceNames)
{
    public bool Allows(RequestAttributes request)
    {
        var resource = request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}";
        return Listed(Verbs, request.Verb)
            && Listed(ApiGroups, request.Group)
            && (Resources.Contains("*") || Resources.Contains(resource) || request.Subresource is { } sub && Resources.Contains("*/" + sub))
            && (ResourceNames.Count == 0 || request.Name is { } name && ResourceNames.Contains(name));
    }

    private static bool Listed(IReadOnlyList<string> values, string value) => values.Contains("*") || values.Contains(value);
}
