using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Sandbox;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// Watchdog's <c>rollout-restart</c> against the real <c>kubectl rollout restart</c> (spec §3.3): two simulators in the
/// same state, one restarted by kubectl, the other by Watchdog. Both must make a new revision and leave the same spec,
/// apart from the restartedAt value (each client writes its own clock's time).
/// </summary>
public sealed class RestartEquivalenceTests : IAsyncLifetime
{
    private TwinClusters _twins = null!;

    public async Task InitializeAsync() => _twins = await TwinClusters.StartAsync(prepare: null);

    public async Task DisposeAsync() => await _twins.DisposeAsync();

    [Fact]
    public async Task Restart_ByWatchdogAndByKubectl_MakesANewRevision_AndTheSameSpecApartFromTheTimestamp()
    {
        var (code, output, error) = await Kubectl(_twins.KubectlSide).RunAsync("rollout", "restart", "deployment/checkout");
        var result = await RestartByWatchdogAsync(new() { ["deployment"] = "checkout" });
        await SettleAsync();

        code.ShouldBe(0, error);
        output.Trim().ShouldBe("deployment.apps/checkout restarted");
        result.Succeeded.ShouldBeTrue(result.Summary);
        RestartedAt(Deployment(_twins.KubectlSide)).ShouldNotBeNull();
        RestartedAt(Deployment(_twins.WatchdogSide)).ShouldBe(JsonNode.Parse(result.Detail!)!["restartedAt"]!.GetValue<string>());
        Masked(Deployment(_twins.WatchdogSide)["spec"]).ShouldBe(Masked(Deployment(_twins.KubectlSide)["spec"]));
        Revisions(_twins.WatchdogSide).ShouldBe([1, 2]);
        Revisions(_twins.KubectlSide).ShouldBe([1, 2]);
        Generation(_twins.WatchdogSide).ShouldBe(Generation(_twins.KubectlSide));
    }

    [Fact]
    public async Task PausedDeployment_IsRefusedByBothInTheSameWords_AndNothingChanges()
    {
        foreach (var side in new[] { _twins.KubectlSide, _twins.WatchdogSide })
        {
            var (pauseCode, _, pauseError) = await Kubectl(side).RunAsync("rollout", "pause", "deployment/checkout");
            pauseCode.ShouldBe(0, pauseError);
        }

        var before = Deployment(_twins.WatchdogSide)["spec"]!.ToJsonString();
        var (code, _, error) = await Kubectl(_twins.KubectlSide).RunAsync("rollout", "restart", "deployment/checkout");
        var result = await RestartByWatchdogAsync(new() { ["deployment"] = "checkout" });
        await SettleAsync();

        code.ShouldBe(1);
        error.Trim().ShouldBe("error: deployments.apps \"checkout\" can't restart paused deployment (run rollout resume first)");
        result.Succeeded.ShouldBeFalse();
        ("error: " + result.Summary).ShouldBe(error.Trim());
        Deployment(_twins.WatchdogSide)["spec"]!.ToJsonString().ShouldBe(before);
        Deployment(_twins.KubectlSide)["spec"]!.ToJsonString().ShouldBe(before);
        Revisions(_twins.WatchdogSide).ShouldBe([1]);
        Revisions(_twins.KubectlSide).ShouldBe([1]);
    }

    [Fact]
    public async Task StatefulSet_RestartByBoth_MakesANewControllerRevision_AndTheSameSpec()
    {
        foreach (var side in new[] { _twins.KubectlSide, _twins.WatchdogSide })
        {
            side.Simulator.Create(SandboxCommand.DbStatefulSet);
            await side.Simulator.SettleAsync(CancellationToken.None);
        }

        var (code, output, error) = await Kubectl(_twins.KubectlSide).RunAsync("rollout", "restart", "statefulset/db");
        var result = await RestartByWatchdogAsync(new() { ["statefulset"] = "db" });
        await SettleAsync();

        code.ShouldBe(0, error);
        output.Trim().ShouldBe("statefulset.apps/db restarted");
        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldStartWith("restarted statefulset/default/db");
        Masked(StatefulSet(_twins.WatchdogSide)["spec"]).ShouldBe(Masked(StatefulSet(_twins.KubectlSide)["spec"]));
        ControllerRevisions(_twins.WatchdogSide).ShouldBe([1, 2]);
        ControllerRevisions(_twins.KubectlSide).ShouldBe([1, 2]);
        RestartedAt(StatefulSet(_twins.WatchdogSide)).ShouldNotBeNull();
    }

    private Kubectl Kubectl(SimulatedCluster cluster) => _twins.Kubectl(cluster);

    private Task<ActionResult> RestartByWatchdogAsync(Dictionary<string, string> parameters) =>
        _twins.WatchdogSide.RunAsync(new RolloutRestartAction(_twins.WatchdogSide.Connection), parameters);

    private async Task SettleAsync()
    {
        await _twins.KubectlSide.Simulator.SettleAsync(CancellationToken.None);
        await _twins.WatchdogSide.Simulator.SettleAsync(CancellationToken.None);
    }

    private static JsonObject Deployment(SimulatedCluster cluster) => cluster.Simulator.Get("apps/v1", "Deployment", "default", "checkout")!;

    private static JsonObject StatefulSet(SimulatedCluster cluster) => cluster.Simulator.Get("apps/v1", "StatefulSet", "default", "db")!;

    private static string? RestartedAt(JsonObject workload) => RolloutRestartAction.RestartedAt(workload);

    private static long Generation(SimulatedCluster cluster) => Deployment(cluster)["metadata"]!["generation"]!.GetValue<long>();

    /// <summary>The spec with the restartedAt value replaced, so two clocks compare equal.</summary>
    private static string Masked(JsonNode? spec)
    {
        var copy = spec!.DeepClone();
        var annotations = copy["template"]!["metadata"]!["annotations"]!.AsObject();
        annotations[RolloutRestartAction.RestartedAtAnnotation]!.GetValue<string>().ShouldNotBeEmpty();
        annotations[RolloutRestartAction.RestartedAtAnnotation] = "<masked>";
        return copy.ToJsonString();
    }

    private static List<int> Revisions(SimulatedCluster cluster) =>
        [.. cluster.Simulator.ReplicaSetsOf("default", "checkout")
            .Select(rs => int.Parse(rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))
            .Order()];

    private static List<int> ControllerRevisions(SimulatedCluster cluster) =>
        [.. cluster.Simulator.ControllerRevisionsOf("default", "db").Select(cr => cr["revision"]!.GetValue<int>()).Order()];
}
