using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.TestSupport;

/// <summary>A release as the tests make one on the simulator: a container's image set (kubectl set image), then the cluster settled.</summary>
internal static class SimulatorImages
{
    /// <summary>A Deployment of 2 replicas of one container, labelled and selected by <c>app: NAME</c>, as JSON for <see cref="KubernetesSimulator.Create"/>.</summary>
    public static string Deployment(string ns, string name, string container, string image) => """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME","namespace":"NAMESPACE","labels":{"app":"NAME"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"NAME"}},
          "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"CONTAINER","image":"IMAGE"}]}}}}
        """.Replace("NAMESPACE", ns, StringComparison.Ordinal).Replace("CONTAINER", container, StringComparison.Ordinal)
        .Replace("IMAGE", image, StringComparison.Ordinal).Replace("NAME", name, StringComparison.Ordinal);

    public static async Task SetImageAsync(this KubernetesSimulator simulator, string ns, string deployment, string container, string image)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = image }) } } } };
        using var http = new HttpClient { BaseAddress = simulator.Url };
        using var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/strategic-merge-patch+json");
        using var response = await http.PatchAsync(new Uri($"/apis/apps/v1/namespaces/{ns}/deployments/{deployment}", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        await simulator.SettleAsync(CancellationToken.None);
    }

    /// <summary>The image of the deployment's first container, as stored.</summary>
    public static string ImageOf(this KubernetesSimulator simulator, string ns, string deployment) =>
        simulator.Get("apps/v1", "Deployment", ns, deployment)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();
}
