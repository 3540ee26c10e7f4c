using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// The kubeconfig is garbage when Watchdog first needs Kubernetes (being rewritten by a secret sync, say), and good
/// again a moment later. The first undo fails saying so; a later one connects: a failed first use is not kept for the
/// life of the process.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class KubeconfigFaultTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private ProxiedCluster _cluster = null!;
    private FakePrometheus _prometheus = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ProxiedCluster.StartAsync();
        _prometheus = await FakePrometheus.StartAsync();
        await _cluster.DeployBadReleaseAsync("first");
        await _cluster.DeployBadReleaseAsync("second");
    }

    public async Task DisposeAsync()
    {
        await _prometheus.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task KubeconfigGarbageAtFirstUse_TheNextRunConnectsOnceItIsFixed()
    {
        _prometheus.Answer("target=\"first\"", PrometheusAnswer.Vector(0.5));
        _prometheus.Default = PrometheusAnswer.Vector(0.01);
        var kubeconfig = _dir.Write("kubeconfig.yaml", "{{{ this is not a kubeconfig");
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        var config = _dir.Write("watchdog.yaml", FaultFiles.UndoConfig(_prometheus.Url, ["first", "second"]));
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);

        var failed = await api.RunOfAsync("first", "failed", "succeeded", "interrupted");
        failed.GetProperty("status").GetString().ShouldBe("failed", failed.ToString());
        failed.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("kubeconfig");
        _cluster.ImageOf("first").ShouldBe($"first:{ProxiedCluster.BadImageTag}");

        File.WriteAllText(kubeconfig, _cluster.Kubeconfig);
        _prometheus.Default = PrometheusAnswer.Vector(0.5);

        var later = await api.RunOfAsync("second", "failed", "succeeded", "interrupted");
        later.GetProperty("status").GetString().ShouldBe("succeeded", later.ToString());
        _cluster.ImageOf("second").ShouldBe($"second:{ProxiedCluster.GoodImageTag}");
    }
}
