using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox.Kubernetes;
using Watchdog.Tests.Actions;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>
/// The Wakala runbook's multi-service rollback as one plan through the executor against the simulator: every
/// service undone in the order written, then every rollout waited for, each step on the incident's timeline.
/// </summary>
public sealed class MultiServiceRollbackTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] Services = ["wakala-api", "wakala-worker", "wakala-websocket", "wakala-scheduler"];
    private KubernetesSimulator _simulator = null!;
    private KubernetesConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _connection = new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = _simulator.Url.AbsoluteUri }, TimeProvider.System));
        foreach (var service in Services)
        {
            _simulator.Create("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"SERVICE","namespace":"production","labels":{"app":"SERVICE"}},
                 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"SERVICE"}},
                  "template":{"metadata":{"labels":{"app":"SERVICE"}},"spec":{"containers":[{"name":"app","image":"wakala:1.0"}]}}}}
                """.Replace("SERVICE", service, StringComparison.Ordinal));
        }

        await _simulator.SettleAsync(CancellationToken.None);
        foreach (var service in Services)
        {
            await SetImageAsync(service, "wakala:2.0"); // the bad release, everywhere
        }

        await _simulator.SettleAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _connection.Dispose();

    private Task SetImageAsync(string service, string image) => _simulator.SetImageAsync("production", service, "app", image);

    private string ImageOf(string service) => _simulator.ImageOf("production", service);

    private static PlanStepOptions Step(string action, string service) =>
        new() { Action = action, Parameters = new Dictionary<string, string> { ["deployment"] = service, ["namespace"] = "production" } };

    [Fact]
    public async Task EveryServiceIsUndoneInOrder_ThenEveryRolloutIsWaitedFor()
    {
        var scenario = new ExecutorScenario(target: new TargetOptions
        {
            Name = "wakala",
            Policy = "runbook-matrix",
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [.. Services.Select(s => Step(DeploymentUndoAction.PluginName, s)), .. Services.Select(s => Step("rollout-wait", s) with { Parameters = new Dictionary<string, string> { ["deployment"] = s, ["namespace"] = "production", ["timeout"] = "60s", ["poll"] = "100ms" } })],
            },
        });
        var executor = scenario.Executor(TimeProvider.System, new DeploymentUndoAction(_connection), new RolloutWaitAction(_connection));
        var incident = await scenario.OpenIncidentAsync();

        var run = await executor.ProposeAsync(incident, scenario.Target, scenario.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        (await scenario.Store.GetRunAsync(run.Id, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Succeeded);
        Services.ShouldAllBe(s => ImageOf(s) == "wakala:1.0");
        var timeline = await scenario.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        var done = timeline.Where(e => e.Kind == IncidentEventKind.StepSucceeded).Select(e => e.Summary).ToList();
        done.Count.ShouldBe(8);
        for (var i = 0; i < Services.Length; i++)
        {
            done[i].ShouldContain($"rolled back deployment/production/{Services[i]} from revision 2 to revision 1");
            done[Services.Length + i].ShouldContain($"deployment \"{Services[i]}\" successfully rolled out");
        }

        timeline.Count(e => e.Kind == IncidentEventKind.StateSaved).ShouldBe(Services.Length);
    }

    [Fact]
    public async Task AServiceThatCannotBeUndone_StopsThePlanThere_AndTheServicesBeforeItStayRolledBack()
    {
        await _connection.Client.SendAsync(HttpMethod.Delete, "/apis/apps/v1/namespaces/production/deployments/wakala-websocket", null, null, CancellationToken.None);
        var scenario = new ExecutorScenario(target: new TargetOptions
        {
            Name = "wakala",
            Policy = "runbook-matrix",
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [.. Services.Select(s => Step(DeploymentUndoAction.PluginName, s))],
            },
        });
        var executor = scenario.Executor(new DeploymentUndoAction(_connection));
        var incident = await scenario.OpenIncidentAsync();

        var run = await executor.ProposeAsync(incident, scenario.Target, scenario.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var finished = (await scenario.Store.GetRunAsync(run.Id, CancellationToken.None))!;
        finished.Status.ShouldBe(ActionRunStatus.Failed);
        finished.Reason.ShouldBe("step 3 (deployment-undo) failed: deployment production/wakala-websocket not found");
        ImageOf("wakala-api").ShouldBe("wakala:1.0");
        ImageOf("wakala-worker").ShouldBe("wakala:1.0");
        ImageOf("wakala-scheduler").ShouldBe("wakala:2.0"); // not run: a person decides what comes next
        (await scenario.Store.GetStepsAsync(run.Id, CancellationToken.None)).Select(s => s.Status).ShouldBe([StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Failed, StepStatus.NotRun]);
    }
}
