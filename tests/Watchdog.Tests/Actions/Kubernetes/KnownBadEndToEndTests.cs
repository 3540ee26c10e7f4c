using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;
using Watchdog.Tests.Actions;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>
/// A release Watchdog rolled back from stays known bad when it comes back under another revision number: the
/// controller renumbers a re-used ReplicaSet, so the mark follows the pod template, not the number.
/// </summary>
public sealed class KnownBadEndToEndTests : IAsyncLifetime, IDisposable
{
    private KubernetesSimulator _simulator = null!;
    private KubernetesConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        await _simulator.SettleAsync(CancellationToken.None);
        _connection = new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = _simulator.Url.AbsoluteUri }, TimeProvider.System));
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _connection.Dispose();

    private Task DeployAsync(string image) => _simulator.SetImageAsync("default", "checkout", "checkout", image);

    private string Image => _simulator.ImageOf("default", "checkout");

    [Fact]
    public async Task ABadReleaseDeployedAgainUnderANewNumber_IsStillRefused_ByModePrevious()
    {
        var (scenario, executor, incident) = await TwoBadReleasesInARowAsync("previous");
        var second = await executor.ProposeAsync(incident, scenario.Target, scenario.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(second!.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var run = (await scenario.Store.GetRunAsync(second.Id, CancellationToken.None))!;
        run.Status.ShouldBe(ActionRunStatus.Failed);
        run.Reason.ShouldBe("step 1 (deployment-undo) failed: refused: revision 4 of deployment/default/checkout was rolled back from before (known bad)");
        Image.ShouldBe("checkout:3.0"); // kubectl's previous is the release already found bad: left for a person
    }

    [Fact]
    public async Task TwoBadReleasesInARow_TheDefaultUndo_LandsOnTheGoodRelease()
    {
        var (scenario, executor, incident) = await TwoBadReleasesInARowAsync(mode: null);
        var second = await executor.ProposeAsync(incident, scenario.Target, scenario.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(second!.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await _simulator.SettleAsync(CancellationToken.None);

        var run = (await scenario.Store.GetRunAsync(second.Id, CancellationToken.None))!;
        run.Status.ShouldBe(ActionRunStatus.Succeeded, run.Reason);
        Image.ShouldBe("checkout:1.0"); // revision 3, past revision 4 (the known-bad 2.0 shipped again)
        _simulator.Get("apps/v1", "Deployment", "default", "checkout")!["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().ShouldBe("6");
    }

    /// <summary>
    /// Revision 2 (2.0) is rolled back by Watchdog and so known bad; 1.0 comes back as revision 3; then 2.0 is shipped
    /// again (revision 4) and 3.0 after it (revision 5): kubectl's "previous" is the known-bad 2.0. The first incident
    /// closed once 1.0 was back; the incident returned is the one 3.0 opens.
    /// </summary>
    private async Task<(ExecutorScenario Scenario, ExecutorParts Executor, Incident Incident)> TwoBadReleasesInARowAsync(string? mode)
    {
        var parameters = new Dictionary<string, string> { ["deployment"] = "checkout" };
        if (mode is not null)
        {
            parameters["mode"] = mode;
        }

        var scenario = new ExecutorScenario(target: new TargetOptions
        {
            Name = "checkout",
            Policy = "runbook-matrix",
            Cooldown = TimeSpan.Zero,
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [new PlanStepOptions { Action = DeploymentUndoAction.PluginName, Parameters = parameters }],
            },
        });
        var executor = scenario.Executor(new DeploymentUndoAction(_connection));
        var incident = await scenario.OpenIncidentAsync();

        await DeployAsync("checkout:2.0");                     // revision 2: bad
        var first = await executor.ProposeAsync(incident, scenario.Target, scenario.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(first!.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await _simulator.SettleAsync(CancellationToken.None);
        Image.ShouldBe("checkout:1.0");                         // revision 3

        await DeployAsync("checkout:2.0");                     // someone ships the bad release again: revision 4
        await DeployAsync("checkout:3.0");                     // and then another bad one: revision 5
        scenario.Time.Advance(TimeSpan.FromMinutes(1));
        return (scenario, executor, await scenario.NextIncidentAsync());
    }
}
