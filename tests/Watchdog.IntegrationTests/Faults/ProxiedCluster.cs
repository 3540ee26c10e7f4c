using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// The Kubernetes API simulator with a <see cref="FaultingKubernetesProxy"/> in front: daemons get a kubeconfig for
/// the proxy, tests inject faults into it and count what reached the simulator. Deployments live in one namespace
/// and are released as <c>NAME:1.0</c>, then the bad <c>NAME:2.0</c>, so an undo goes back to <c>NAME:1.0</c>.
/// </summary>
public sealed class ProxiedCluster : IAsyncDisposable
{
    public const string Namespace = "faults";
    public const string GoodImageTag = "1.0";
    public const string BadImageTag = "2.0";

    private ProxiedCluster(KubernetesSimulator simulator, FaultingKubernetesProxy proxy)
    {
        Simulator = simulator;
        Proxy = proxy;
    }

    public KubernetesSimulator Simulator { get; }

    public FaultingKubernetesProxy Proxy { get; }

    /// <summary>A kubeconfig whose server is the proxy.</summary>
    public string Kubeconfig => FaultFiles.Kubeconfig(Proxy.Url);

    public static async Task<ProxiedCluster> StartAsync()
    {
        var simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(50)), CancellationToken.None);
        try
        {
            return new ProxiedCluster(simulator, await FaultingKubernetesProxy.StartAsync(simulator.Url));
        }
        catch
        {
            // The simulator must not outlive a failed start; the failure goes on to the test.
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>The API path of a deployment, as the proxy matches it.</summary>
    public static string DeploymentPath(string name) => $"/apis/apps/v1/namespaces/{Namespace}/deployments/{name}";

    /// <summary>Deployment <paramref name="name"/> at revision 1 (<c>NAME:1.0</c>), then released as revision 2 (<c>NAME:2.0</c>), settled.</summary>
    public async Task DeployBadReleaseAsync(string name)
    {
        Simulator.Create(SimulatorImages.Deployment(Namespace, name, name, $"{name}:{GoodImageTag}"));
        await Simulator.SettleAsync(CancellationToken.None);
        await Simulator.SetImageAsync(Namespace, name, name, $"{name}:{BadImageTag}");
    }

    public string ImageOf(string name) => Simulator.ImageOf(Namespace, name);

    /// <summary>PATCHes of the deployment that the simulator received (not those a fault answered or held).</summary>
    public int PatchesReceived(string name) => Proxy.RequestsTo("PATCH", DeploymentPath(name), forwardedOnly: true).Count;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Proxy.DisposeAsync();
        }
        finally
        {
            await Simulator.DisposeAsync();
        }
    }
}
