namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// The simulator's RBAC mode: every request is made by <see cref="User"/> (e.g. <c>system:serviceaccount:NS:watchdog</c>),
/// bound to <see cref="Rules"/> in <see cref="Namespaces"/> (a Role and RoleBinding in each) or, when null, in every
/// namespace (a ClusterRole and ClusterRoleBinding). Discovery (<c>/api</c>, <c>/apis</c>, <c>/version</c>,
/// <c>/openapi</c>) stays open, as the <c>system:discovery</c> role keeps it on a real cluster. With a <see cref="Token"/>,
/// only requests bearing it are <see cref="User"/>'s and the others are the cluster admin's (kubectl and a test's own
/// checks next to the service account under test).
/// </summary>
internal sealed record SimulatorAuthorization(string User, IReadOnlyList<PolicyRule> Rules, IReadOnlySet<string>? Namespaces = null, string? Token = null)
{
    /// <summary>Null when the request is allowed, else the 403 the API server answers.</summary>
    public ApiStatus? Authorize(string method, string path, string? watch, string? authorizationHeader)
    {
        if (Token is not null && authorizationHeader != "Bearer " + Token || RequestAttributes.Parse(method, path, watch) is not { } request)
        {
            return null;
        }

        var bound = request.Namespace is { } ns ? Namespaces is null || Namespaces.Contains(ns) : Namespaces is null;
        return bound && Rules.Any(r => r.Allows(request)) ? null : ApiStatus.Forbidden(request, User);
    }
}
