using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.Sandbox.Demo;

/// <summary>
/// What <c>watchdog demo</c> watches, all in-process on 127.0.0.1: the Kubernetes simulator running deployment
/// <c>checkout</c> (revision 1, <see cref="SampleApp.StableImage"/>), a Prometheus endpoint serving its error rate and
/// memory, a flag server with <see cref="Flag"/> on at 50 %, and a pager that receives Watchdog's notifications.
/// </summary>
internal sealed class DemoWorld : IAsyncDisposable
{
    public const string Namespace = "default";
    public const string Deployment = "checkout";
    public const string Flag = "checkout-v2";

    private readonly HttpClient _http;

    private DemoWorld(KubernetesSimulator cluster, PrometheusEndpoint prometheus, FlagServer flags, Pager pager, SampleApp app)
    {
        Cluster = cluster;
        Prometheus = prometheus;
        Flags = flags;
        Pager = pager;
        App = app;
        _http = new HttpClient { BaseAddress = cluster.Url };
    }

    public KubernetesSimulator Cluster { get; }

    public PrometheusEndpoint Prometheus { get; }

    public FlagServer Flags { get; }

    public Pager Pager { get; }

    public SampleApp App { get; }

    public static async Task<DemoWorld> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var cluster = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(50)), cancellationToken);
        PrometheusEndpoint? prometheus = null;
        FlagServer? flags = null;
        try
        {
            cluster.Create(SandboxCommand.CheckoutDeployment);
            await cluster.SettleAsync(cancellationToken);
            var app = new SampleApp(() => ImageOf(cluster), time);
            prometheus = await PrometheusEndpoint.StartAsync(app, time, cancellationToken);
            flags = await FlagServer.StartAsync(cancellationToken);
            flags.Set(Flag, enabled: true, rolloutPercentage: 50);
            var pager = await Pager.StartAsync(cancellationToken);
            return new DemoWorld(cluster, prometheus, flags, pager, app);
        }
        catch
        {
            if (flags is not null)
            {
                await flags.DisposeAsync();
            }

            if (prometheus is not null)
            {
                await prometheus.DisposeAsync();
            }

            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A release as <c>kubectl set image deployment/checkout checkout=IMAGE</c> makes one, then the rollout settled.</summary>
    public async Task ReleaseAsync(string image, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = Deployment, ["image"] = image }) },
                },
            },
        };
        using var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/strategic-merge-patch+json");
        using var response = await _http.PatchAsync(new Uri($"/apis/apps/v1/namespaces/{Namespace}/deployments/{Deployment}", UriKind.Relative), content, cancellationToken);
        response.EnsureSuccessStatusCode();
        await Cluster.SettleAsync(cancellationToken);
    }

    /// <summary>The deployment's revision annotation, as <c>kubectl rollout history</c> numbers it.</summary>
    public string Revision =>
        Cluster.Get("apps/v1", "Deployment", Namespace, Deployment)?["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"]?.GetValue<string>() ?? "?";

    private static string ImageOf(KubernetesSimulator cluster) =>
        cluster.Get("apps/v1", "Deployment", Namespace, Deployment)?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() ?? "";

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Pager.DisposeAsync();
        await Flags.DisposeAsync();
        await Prometheus.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
