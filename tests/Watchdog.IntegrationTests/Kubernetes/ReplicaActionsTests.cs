using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Kubernetes;
using Watchdog.Rules;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary><c>scale</c>, <c>stop-writes</c> and <c>restore-replicas</c> against the simulator, as the runbooks use them.</summary>
public sealed class ReplicaActionsTests : IAsyncLifetime, IDisposable
{
    private KubernetesSimulator _simulator = null!;
    private KubernetesConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        await _simulator.SettleAsync(CancellationToken.None);
        _connection = new KubernetesConnection(new KubernetesClient(new KubernetesClientConfig { Server = _simulator.Url }, TimeProvider.System));
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task ScaleThenStopWritesThenRestore_ReturnsToTheCountBeforeTheFirstChange()
    {
        var scaled = await RunAsync(new ScaleAction(_connection), new() { ["deployment"] = "checkout", ["replicas"] = "+2" });
        Replicas().ShouldBe(5);
        var stopped = await RunAsync(new StopWritesAction(_connection), new() { ["deployment"] = "checkout" });
        Replicas().ShouldBe(0);
        Remembered().ShouldBe("3");

        var restored = await RunAsync(new RestoreReplicasAction(_connection), new() { ["deployment"] = "checkout" });

        scaled.Summary.ShouldBe("deployment/default/checkout scaled from 3 to 5 replicas");
        stopped.Before.ShouldBe("deployment/default/checkout replicas 5");
        stopped.After.ShouldBe("deployment/default/checkout replicas 0");
        restored.Succeeded.ShouldBeTrue(restored.Summary);
        restored.After.ShouldBe("deployment/default/checkout replicas 3");
        Replicas().ShouldBe(3);
        Remembered().ShouldBeNull();
        await _simulator.SettleAsync(CancellationToken.None);
        _simulator.Get("apps/v1", "Deployment", "default", "checkout")!["status"]!["readyReplicas"]!.GetValue<int>().ShouldBe(3);
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData("x1.5", 5)]
    [InlineData("-1", 2)]
    public async Task Scale_ToACountByAStepOrByAFactor(string replicas, int expected)
    {
        var result = await RunAsync(new ScaleAction(_connection), new() { ["deployment"] = "checkout", ["replicas"] = replicas });

        result.Succeeded.ShouldBeTrue(result.Summary);
        Replicas().ShouldBe(expected);
    }

    [Fact]
    public async Task Restore_WhenWatchdogNeverScaled_FailsInsteadOfGuessing()
    {
        var result = await RunAsync(new RestoreReplicasAction(_connection), new() { ["deployment"] = "checkout" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldContain("nothing to restore");
        Replicas().ShouldBe(3);
    }

    [Fact]
    public async Task Scale_MissingDeployment_FailsWithTheApiServersMessage()
    {
        var result = await RunAsync(new ScaleAction(_connection), new() { ["deployment"] = "gone", ["replicas"] = "2" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldStartWith("deployment/default/gone:");
        result.Summary.ShouldContain("not found");
    }

    [Fact]
    public void Validate_BadParameters_AreAllReported()
    {
        ScaleAction.ValidateParameters(new Dictionary<string, string> { ["replicas"] = "lots" })
            .ShouldBe(["name exactly one workload: deployment: NAME or statefulset: NAME", "replicas: 'lots' is not a count (5), a step (+2, -1) or a factor (x1.5)"]);
        StopWritesAction.ValidateParameters(new Dictionary<string, string> { ["deployment"] = "a", ["statefulset"] = "b" })
            .ShouldBe(["name exactly one workload: deployment: NAME or statefulset: NAME"]);
    }

    private int Replicas() => _simulator.Get("apps/v1", "Deployment", "default", "checkout")!["spec"]!["replicas"]!.GetValue<int>();

    private string? Remembered() =>
        _simulator.Get("apps/v1", "Deployment", "default", "checkout")!["metadata"]!["annotations"]?[WorkloadReplicas.BeforeAnnotation]?.GetValue<string>();

    private static async Task<ActionResult> RunAsync(IRollbackAction action, Dictionary<string, string> parameters)
    {
        var now = TimeProvider.System.GetUtcNow();
        var incident = new Incident { Id = 1, Target = "checkout", Policy = "p", DetectedAt = now, TriggerRule = "r", TriggerAction = DecisionAction.Scale, TriggerAuthority = Authority.OnCall, TriggerSummary = "s" };
        var run = new ActionRun { Id = 1, IncidentId = 1, Target = "checkout", Action = DecisionAction.Scale, Authority = Authority.OnCall, Rule = "r", CreatedAt = now };
        var context = new ActionContext(new TargetOptions { Name = "checkout" }, incident, run, new ActionStep(1, 0, action.Name, parameters), new SavedState(), TimeProvider.System);
        return await action.ExecuteAsync(context, CancellationToken.None);
    }

    private sealed class SavedState : IActionJournal
    {
        public Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveStateAsync(string what, string json, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsBadRevisionAsync(RevisionRef revision, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
