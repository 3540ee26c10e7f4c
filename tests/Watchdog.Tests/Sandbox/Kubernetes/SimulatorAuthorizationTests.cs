using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.Tests.Sandbox.Kubernetes;

/// <summary>How the simulator's RBAC mode maps a request to verb and resource, and the API server's 403 it answers.</summary>
public sealed class SimulatorAuthorizationTests
{
    private const string User = "system:serviceaccount:ns:sa";

    private static readonly SimulatorAuthorization Rules = new(User,
    [
        new PolicyRule(["apps"], ["deployments"], ["get"], []),
        new PolicyRule(["coordination.k8s.io"], ["leases"], ["get", "update"], ["watchdog"]),
    ]);

    [Theory]
    [InlineData("PATCH", "/apis/apps/v1/namespaces/ns/deployments/web", null,
        """deployments.apps "web" is forbidden: User "system:serviceaccount:ns:sa" cannot patch resource "deployments" in API group "apps" in the namespace "ns" """)]
    [InlineData("GET", "/apis/apps/v1/namespaces/ns/replicasets", null,
        """replicasets.apps is forbidden: User "system:serviceaccount:ns:sa" cannot list resource "replicasets" in API group "apps" in the namespace "ns" """)]
    [InlineData("GET", "/apis/apps/v1/namespaces/ns/deployments", "true",
        """deployments.apps is forbidden: User "system:serviceaccount:ns:sa" cannot watch resource "deployments" in API group "apps" in the namespace "ns" """)]
    [InlineData("PATCH", "/apis/apps/v1/namespaces/ns/deployments/web/scale", null,
        """deployments.apps "web" is forbidden: User "system:serviceaccount:ns:sa" cannot patch resource "deployments/scale" in API group "apps" in the namespace "ns" """)]
    [InlineData("GET", "/api/v1/namespaces/ns/secrets/token", null,
        """secrets "token" is forbidden: User "system:serviceaccount:ns:sa" cannot get resource "secrets" in API group "" in the namespace "ns" """)]
    [InlineData("POST", "/apis/coordination.k8s.io/v1/namespaces/ns/leases", null,
        """leases.coordination.k8s.io is forbidden: User "system:serviceaccount:ns:sa" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "ns" """)]
    [InlineData("PUT", "/apis/coordination.k8s.io/v1/namespaces/ns/leases/other", null,
        """leases.coordination.k8s.io "other" is forbidden: User "system:serviceaccount:ns:sa" cannot update resource "leases" in API group "coordination.k8s.io" in the namespace "ns" """)]
    [InlineData("GET", "/api/v1/namespaces", null,
        """namespaces is forbidden: User "system:serviceaccount:ns:sa" cannot list resource "namespaces" in API group "" at the cluster scope """)]
    public void OutsideTheRules_IsForbidden_WithTheApiServersMessage(string method, string path, string? watch, string message)
    {
        var denied = Rules.Authorize(method, path, watch, null).ShouldNotBeNull();

        denied.Code.ShouldBe(403);
        denied.Reason.ShouldBe("Forbidden");
        denied.Message.ShouldBe(message.TrimEnd());
    }

    [Theory]
    [InlineData("GET", "/apis/apps/v1/namespaces/ns/deployments/web")]
    [InlineData("PUT", "/apis/coordination.k8s.io/v1/namespaces/ns/leases/watchdog")]
    [InlineData("GET", "/version")]
    [InlineData("GET", "/apis")]
    [InlineData("GET", "/apis/apps/v1")]
    [InlineData("GET", "/openapi/v3")]
    public void WithinTheRules_OrDiscovery_IsAllowed(string method, string path) =>
        Rules.Authorize(method, path, null, null).ShouldBeNull();

    [Fact]
    public void WithAToken_OnlyRequestsBearingItAreTheUsers()
    {
        var rules = Rules with { Token = "t" };

        rules.Authorize("DELETE", "/apis/apps/v1/namespaces/ns/deployments/web", null, "Bearer t").ShouldNotBeNull().Message.ShouldContain("cannot delete");
        rules.Authorize("DELETE", "/apis/apps/v1/namespaces/ns/deployments/web", null, null).ShouldBeNull();
    }

    [Fact]
    public void BoundToNamespaces_OtherNamespacesAreForbidden()
    {
        var rules = Rules with { Namespaces = new HashSet<string> { "ns" } };

        rules.Authorize("GET", "/apis/apps/v1/namespaces/ns/deployments/web", null, null).ShouldBeNull();
        rules.Authorize("GET", "/apis/apps/v1/namespaces/other/deployments/web", null, null).ShouldNotBeNull().Message.ShouldEndWith("in the namespace \"other\"");
    }
}
