using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;
using Watchdog.Tests.Actions;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>
/// last-known-good from decisions to rollback against the simulator: the tracker records what stayed healthy, a
/// release that never proved itself is skipped over, and the re-used ReplicaSet is still found after its revision moved.
/// </summary>
public sealed class LastKnownGoodEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Resource = "deployment/default/checkout";
    private readonly InMemoryWatchdogStore _store = new();
    private KubernetesSimulator _simulator = null!;
    private KubernetesConnection _connection = null!;
    private ExecutorScenario _scenario = null!;
    private KnownGoodTracker _tracker = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        await _simulator.SettleAsync(CancellationToken.None);
        _connection = new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = _simulator.Url.AbsoluteUri }, TimeProvider.System));
        _scenario = new ExecutorScenario(_store, new TargetOptions
        {
            Name = "checkout",
            Policy = "runbook-matrix",
            VerifyWindow = TimeSpan.FromMinutes(10),
            Cooldown = TimeSpan.Zero,
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [new PlanStepOptions { Action = DeploymentUndoAction.PluginName, Parameters = new Dictionary<string, string> { ["deployment"] = "checkout", ["mode"] = "last-known-good" } }],
            },
        });
        _tracker = new KnownGoodTracker(_connection, _store, NullLogger<KnownGoodTracker>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _store.DisposeAsync();
    }

    public void Dispose() => _connection.Dispose();

    private string Image => _simulator.ImageOf("default", "checkout");

    private Task SetImageAsync(string image) => _simulator.SetImageAsync("default", "checkout", "checkout", image);

    private async Task ObserveAsync(int fromMinute, int toMinute, DecisionAction action = DecisionAction.None)
    {
        for (var minute = fromMinute; minute <= toMinute; minute++)
        {
            var at = ExecutorScenario.T0.AddMinutes(minute);
            var decision = action == DecisionAction.None ? Decision.NoneAt(at) : new Decision(at, action, Authority.Automatic, false, DecisionSource.Matrix, "error-rate-critical", "critical", false);
            await _tracker.ObserveAsync(_scenario.Target, decision, CancellationToken.None);
        }
    }

    [Fact]
    public async Task ABadReleaseAndABadHotfix_RollBackToTheReleaseThatLastStayedHealthy()
    {
        await ObserveAsync(0, 12);                       // 1.0 healthy for 12 minutes: known good
        await SetImageAsync("checkout:2.0");
        await ObserveAsync(13, 17);                      // 2.0 healthy for 5 minutes only...
        await ObserveAsync(18, 18, DecisionAction.Rollback); // ...then errors
        await SetImageAsync("checkout:2.1-hotfix");      // a hotfix, also bad
        await ObserveAsync(19, 20, DecisionAction.Rollback);

        var recorded = await _store.ListKnownGoodAsync("checkout", Resource, CancellationToken.None);
        recorded.Select(r => (r.Revision, r.HealthySince)).ShouldBe([("1", ExecutorScenario.T0)]);

        var executor = _scenario.Executor(new DeploymentUndoAction(_connection));
        var incident = await _scenario.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _scenario.Target, _scenario.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await _simulator.SettleAsync(CancellationToken.None);

        (await _store.GetRunAsync(run.Id, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Succeeded);
        Image.ShouldBe("checkout:1.0"); // a plain undo would have gone to 2.0
        var timeline = await _store.GetTimelineAsync(incident.Id, CancellationToken.None);
        timeline.ShouldContain(e => e.Summary.StartsWith("last known good of deployment/default/checkout: revision 1 (pod template " + recorded[0].TemplateHash, StringComparison.Ordinal));
        timeline.ShouldContain(e => e.Summary.Contains("from revision 3 to revision 1", StringComparison.Ordinal));

        // The controller re-used revision 1's ReplicaSet as revision 4; staying healthy confirms the same template again.
        await ObserveAsync(30, 40);
        var again = await _store.ListKnownGoodAsync("checkout", Resource, CancellationToken.None);
        again.Select(r => (r.Revision, r.TemplateHash, r.HealthySince)).ShouldBe([("4", recorded[0].TemplateHash, ExecutorScenario.T0.AddMinutes(30))]);
    }
}
