using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// One daemon rolling back several deployments at once through a <see cref="ProxiedCluster"/>, each deployment
/// meeting its own fault from the Kubernetes API (404, 403, 409, 422, 500, an HTML page, a reset connection, a 17 MiB answer, another writer just before
/// the PATCH). Every target reads 0.5 and rolls back automatically with one <c>deployment-undo</c>; notifications go
/// to one webhook channel. The Kubernetes client has no circuit breaker, so the faults do not disturb each other.
/// </summary>
public sealed class KubernetesFaultsDaemon : IAsyncLifetime, IDisposable
{
    /// <summary>The image another writer sets on <c>overwritten</c> just before Watchdog's PATCH arrives.</summary>
    public const string OtherWritersImage = "overwritten:hotfix";

    public static readonly IReadOnlyList<string> Targets = ["k404", "k403", "k409", "k422", "k500", "khtml", "kreset", "kbig", "overwritten"];

    private readonly TempDirectory _dir = new();

    public ProxiedCluster Cluster { get; private set; } = null!;

    public RecordingReceiver Receiver { get; private set; } = null!;

    public FakePrometheus Prometheus { get; private set; } = null!;

    public DaemonProcess Daemon { get; private set; } = null!;

    public DaemonApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ProxiedCluster.StartAsync();
        Receiver = await RecordingReceiver.StartAsync();
        Prometheus = await FakePrometheus.StartAsync();
        Prometheus.Default = PrometheusAnswer.Vector(0.5);
        foreach (var target in Targets)
        {
            await Cluster.DeployBadReleaseAsync(target);
        }

        var proxy = Cluster.Proxy;
        proxy.Inject(KubernetesFault.Answer("GET", ProxiedCluster.DeploymentPath("k404"), 404, "deployments.apps \"k404\" not found"));
        proxy.Inject(KubernetesFault.Answer("GET", ProxiedCluster.DeploymentPath("k403"), 403,
            "deployments.apps \"k403\" is forbidden: User \"system:serviceaccount:ops:watchdog\" cannot get resource \"deployments\" in API group \"apps\" in the namespace \"faults\""));
        proxy.Inject(KubernetesFault.Answer("PATCH", ProxiedCluster.DeploymentPath("k409"), 409,
            "Operation cannot be fulfilled on deployments.apps \"k409\": the object has been modified; please apply your changes to the latest version and try again"));
        proxy.Inject(KubernetesFault.Answer("PATCH", ProxiedCluster.DeploymentPath("k422"), 422,
            "Deployment.apps \"k422\" is invalid: spec.template.spec.containers[0].image: Required value"));
        proxy.Inject(KubernetesFault.Answer("PATCH", ProxiedCluster.DeploymentPath("k500"), 500, "etcdserver: request timed out"));
        proxy.Inject(KubernetesFault.Html("GET", ProxiedCluster.DeploymentPath("khtml")));
        proxy.Inject(KubernetesFault.ConnectionReset("PATCH", ProxiedCluster.DeploymentPath("kreset")));
        proxy.Inject(new KubernetesFault("GET", ProxiedCluster.DeploymentPath("kbig")) { Status = 200, Body = $$"""{"kind":"Deployment","padding":"{{new string('x', 17 << 20)}}"}""" });
        proxy.Inject(KubernetesFault.After("PATCH", ProxiedCluster.DeploymentPath("overwritten"),
            () => Cluster.Simulator.SetImageAsync(ProxiedCluster.Namespace, "overwritten", "overwritten", OtherWritersImage)) with { Times = 1 });

        _dir.Write("kubeconfig.yaml", Cluster.Kubeconfig);
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        var config = _dir.Write("watchdog.yaml", FaultFiles.UndoConfig(Prometheus.Url, Targets, $"  - {{name: on-call, kind: webhook, url: \"{Receiver.Endpoint("notify")}\"}}"));
        Daemon = await DaemonProcess.StartAsync(config);
        Api = new DaemonApi(Daemon);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        await Prometheus.DisposeAsync();
        await Receiver.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();
}
