using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary><c>scale</c>, <c>stop-writes</c> and <c>restore-replicas</c> against the simulator, as the runbooks use them.</summary>
public sealed class ReplicaActionsTests : IAsyncLifetime
{
    private SimulatedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SimulatedCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ScaleThenStopWritesThenRestore_ReturnsToTheCountBeforeTheFirstChange()
    {
        var scaled = await RunAsync(new ScaleAction(_cluster.Connection), new() { ["deployment"] = "checkout", ["replicas"] = "+2" });
        Replicas().ShouldBe(5);
        var stopped = await RunAsync(new StopWritesAction(_cluster.Connection), new() { ["deployment"] = "checkout" });
        Replicas().ShouldBe(0);
        Remembered().ShouldBe("3");

        var restored = await RunAsync(new RestoreReplicasAction(_cluster.Connection), new() { ["deployment"] = "checkout" });

        scaled.Summary.ShouldBe("deployment/default/checkout scaled from 3 to 5 replicas");
        stopped.Before.ShouldBe("deployment/default/checkout replicas 5");
        stopped.After.ShouldBe("deployment/default/checkout replicas 0");
        restored.Succeeded.ShouldBeTrue(restored.Summary);
        restored.After.ShouldBe("deployment/default/checkout replicas 3");
        Replicas().ShouldBe(3);
        Remembered().ShouldBeNull();
        await _cluster.Simulator.SettleAsync(CancellationToken.None);
        _cluster.Simulator.Get("apps/v1", "Deployment", "default", "checkout")!["status"]!["readyReplicas"]!.GetValue<int>().ShouldBe(3);

        // Every change is told to the cluster's own users too, on the deployment.
        var events = (await _cluster.EventsAsync()).Where(e => e.InvolvedObject?.Name == "checkout" && e.Reason == DeploymentUndoAction.EventReason).Select(e => (e.Type, e.Message)).ToList();
        events.Count.ShouldBe(3);
        events.ShouldAllBe(e => e.Type == "Normal");
        events[0].Message!.ShouldStartWith("Watchdog deployment/default/checkout scaled from 3 to 5 replicas (incident 1");
        events[1].Message!.ShouldStartWith("Watchdog deployment/default/checkout scaled from 5 to 0 replicas");
        events[2].Message!.ShouldStartWith("Watchdog deployment/default/checkout restored from 0 to 3 replicas");
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData("x1.5", 5)]
    [InlineData("-1", 2)]
    public async Task Scale_ToACountByAStepOrByAFactor(string replicas, int expected)
    {
        var result = await RunAsync(new ScaleAction(_cluster.Connection), new() { ["deployment"] = "checkout", ["replicas"] = replicas });

        result.Succeeded.ShouldBeTrue(result.Summary);
        Replicas().ShouldBe(expected);
    }

    [Fact]
    public async Task Restore_WhenWatchdogNeverScaled_FailsInsteadOfGuessing()
    {
        var result = await RunAsync(new RestoreReplicasAction(_cluster.Connection), new() { ["deployment"] = "checkout" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldContain("nothing to restore");
        Replicas().ShouldBe(3);
        (await _cluster.EventsAsync()).ShouldContain(e => e.Type == "Warning" && e.Message!.StartsWith("Watchdog did not restore the replicas of deployment/default/checkout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scale_MissingDeployment_FailsWithTheApiServersMessage()
    {
        var result = await RunAsync(new ScaleAction(_cluster.Connection), new() { ["deployment"] = "gone", ["replicas"] = "2" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("deployment/default/gone: not found");
    }

    [Fact]
    public void Validate_BadParameters_AreAllReported()
    {
        ScaleAction.ValidateParameters(new Dictionary<string, string> { ["replicas"] = "lots" })
            .ShouldBe(["name exactly one workload: deployment: NAME or statefulset: NAME", "replicas: 'lots' is not a count (5), a step (+2, -1) or a factor (x1.5)"]);
        StopWritesAction.ValidateParameters(new Dictionary<string, string> { ["deployment"] = "a", ["statefulset"] = "b" })
            .ShouldBe(["name exactly one workload: deployment: NAME or statefulset: NAME"]);
    }

    private int Replicas() => _cluster.Simulator.Get("apps/v1", "Deployment", "default", "checkout")!["spec"]!["replicas"]!.GetValue<int>();

    private string? Remembered() =>
        _cluster.Simulator.Get("apps/v1", "Deployment", "default", "checkout")!["metadata"]!["annotations"]?[WorkloadReplicas.BeforeAnnotation]?.GetValue<string>();

    private Task<ActionResult> RunAsync(IRollbackAction action, Dictionary<string, string> parameters) => _cluster.RunAsync(action, parameters);
}
