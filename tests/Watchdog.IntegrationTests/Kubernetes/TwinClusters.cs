namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// What every equivalence test compares: two simulators brought to the same state by the same kubectl commands, one
/// for the real kubectl to act on and one for Watchdog, with one kubectl home (discovery cache) for both.
/// </summary>
internal sealed class TwinClusters : IAsyncDisposable
{
    private readonly TempDirectory _home = new();

    private TwinClusters()
    {
    }

    public SimulatedCluster KubectlSide { get; private set; } = null!;

    public SimulatedCluster WatchdogSide { get; private set; } = null!;

    /// <param name="prepare">Run on each side once it has started: the kubectl commands that make the test's starting state.</param>
    /// <param name="workloads">More objects to create on each side (see <see cref="SimulatedCluster.StartAsync"/>).</param>
    public static async Task<TwinClusters> StartAsync(Func<SimulatedCluster, Kubectl, Task>? prepare, params string[] workloads)
    {
        var twins = new TwinClusters();
        twins.KubectlSide = await twins.StartSideAsync(prepare, workloads);
        twins.WatchdogSide = await twins.StartSideAsync(prepare, workloads);
        return twins;
    }

    public Kubectl Kubectl(SimulatedCluster side) => new(side.Simulator.Url, _home.Path);

    public async ValueTask DisposeAsync()
    {
        await KubectlSide.DisposeAsync();
        await WatchdogSide.DisposeAsync();
        _home.Dispose();
    }

    private async Task<SimulatedCluster> StartSideAsync(Func<SimulatedCluster, Kubectl, Task>? prepare, string[] workloads)
    {
        var side = await SimulatedCluster.StartAsync(workloads);
        if (prepare is not null)
        {
            await prepare(side, Kubectl(side));
        }

        return side;
    }
}
