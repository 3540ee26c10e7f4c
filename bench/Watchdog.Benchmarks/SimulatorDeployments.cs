using System.Net.Http.Headers;
using System.Text;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.Benchmarks;

/// <summary>Deployments on the simulator at revision 2 (image <c>NAME:2</c>), so that each has a revision to undo to.</summary>
internal static class SimulatorDeployments
{
    public const string Namespace = "bench";

    public static async Task CreateAsync(KubernetesSimulator cluster, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            cluster.Create("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME","namespace":"NAMESPACE","labels":{"app":"NAME"}},
                 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"NAME"}},
                  "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"app","image":"NAME:1"}]}}}}
                """.Replace("NAMESPACE", Namespace, StringComparison.Ordinal).Replace("NAME", name, StringComparison.Ordinal));
        }

        await cluster.SettleAsync(cancellationToken);
        using var http = new HttpClient { BaseAddress = cluster.Url };
        foreach (var name in names)
        {
            using var patch = new StringContent("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"NAME:2"}]}}}}""".Replace("NAME", name, StringComparison.Ordinal), Encoding.UTF8);
            patch.Headers.ContentType = new MediaTypeHeaderValue("application/strategic-merge-patch+json");
            using var response = await http.PatchAsync(new Uri(PathOf(name), UriKind.Relative), patch, cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        await cluster.SettleAsync(cancellationToken);
    }

    public static string PathOf(string name) => $"/apis/apps/v1/namespaces/{Namespace}/deployments/{name}";

    /// <summary>True once the deployment's template is back at its first image: the PATCH was a real undo.</summary>
    public static bool IsUndone(KubernetesSimulator cluster, string name) =>
        cluster.Get("apps/v1", "Deployment", Namespace, name)?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() == $"{name}:1";
}
