using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary><c>rollout-wait</c> against the simulator's deployment controller.</summary>
public sealed class RolloutWaitActionTests : IAsyncLifetime
{
    private SimulatedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SimulatedCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Wait_NewImageRollsOut_SucceedsWithKubectlsWords()
    {
        await SetImageAsync("checkout:2.0");

        var result = await WaitAsync(new() { ["deployment"] = "checkout", ["timeout"] = "20s", ["poll"] = "100ms" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("deployment/default/checkout: deployment \"checkout\" successfully rolled out");
        _cluster.Progress[^1].ShouldBe(result.Summary);
        (await _cluster.EventsAsync()).ShouldContain(e => e.Type == "Normal" && e.Reason == RolloutWaitAction.EventReason && e.InvolvedObject!.Name == "checkout");
    }

    [Fact]
    public async Task Wait_PodsNeverBecomeReady_FailsAtTheTimeoutWithTheLastStatus()
    {
        _cluster.Simulator.FailRollouts("default", "checkout");
        await SetImageAsync("checkout:broken");

        var result = await WaitAsync(new() { ["deployment"] = "checkout", ["timeout"] = "1s", ["poll"] = "100ms" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldStartWith("deployment/default/checkout: timed out after 1s waiting for the rollout (Waiting for deployment \"checkout\" rollout to finish:");
        (await _cluster.EventsAsync()).ShouldContain(e => e.Type == "Warning" && e.Reason == RolloutWaitAction.EventReason
            && e.Message!.StartsWith("Watchdog did not see the rollout of deployment/default/checkout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wait_MissingDeployment_FailsWithTheApiServersMessage()
    {
        var result = await WaitAsync(new() { ["deployment"] = "gone", ["timeout"] = "5s" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldContain("not found");
    }

    private async Task SetImageAsync(string image) =>
        await _cluster.Connection.Client.SendAsync(
            HttpMethod.Patch,
            KubernetesPaths.Deployment("default", "checkout"),
            """{"spec":{"template":{"spec":{"containers":[{"name":"checkout","image":"IMAGE"}]}}}}""".Replace("IMAGE", image, StringComparison.Ordinal),
            "application/strategic-merge-patch+json",
            CancellationToken.None);

    private Task<ActionResult> WaitAsync(Dictionary<string, string> parameters) => _cluster.RunAsync(new RolloutWaitAction(_cluster.Connection), parameters);
}
