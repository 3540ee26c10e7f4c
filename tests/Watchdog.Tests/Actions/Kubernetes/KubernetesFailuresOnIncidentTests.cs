using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;
using Watchdog.Tests.Actions;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>
/// The failure cases end to end through the executor against the simulator: a deleted deployment (404), a
/// concurrent change (409), an invalid result (422) and a dead API server each fail the run with a clear reason on the
/// incident's timeline and in the on-call message, and leave the deployment as it was.
/// </summary>
public sealed class KubernetesFailuresOnIncidentTests : IAsyncLifetime
{
    private const string DeploymentPath = "/apis/apps/v1/namespaces/default/deployments/checkout";
    private KubernetesSimulator _simulator = null!;
    private KubernetesClient _admin = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        await _simulator.SettleAsync(CancellationToken.None);
        _admin = Client(null);
        await SetImageAsync("checkout:2.0"); // revision 2: the bad release
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _simulator.DisposeAsync();
    }

    private KubernetesClient Client(DelegatingHandler? handler, Uri? server = null) =>
        new(new k8s.KubernetesClientConfiguration { Host = (server ?? _simulator.Url).AbsoluteUri }, TimeProvider.System,
            new KubernetesRetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(5) }, handler);

    private Task SetImageAsync(string image) => _simulator.SetImageAsync("default", "checkout", "checkout", image);

    private JsonObject Deployment => _simulator.Get("apps/v1", "Deployment", "default", "checkout")!;

    private string Image => _simulator.ImageOf("default", "checkout");

    /// <summary>Runs the target's rollback plan through the executor; returns the run and the incident's timeline.</summary>
    private static async Task<(ActionRun Run, IReadOnlyList<IncidentEvent> Timeline, ExecutorScenario Scenario)> RollBackAsync(KubernetesClient client, Dictionary<string, string> parameters)
    {
        var scenario = new ExecutorScenario(target: new TargetOptions
        {
            Name = "checkout",
            Policy = "runbook-matrix",
            Environment = "production",
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [new PlanStepOptions { Action = DeploymentUndoAction.PluginName, Parameters = parameters }],
            },
        });
        using var connection = new KubernetesConnection(client);
        var executor = scenario.Executor(new DeploymentUndoAction(connection));
        var incident = await scenario.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, scenario.Target, scenario.Decide(), CancellationToken.None);

        // The scenario's clock is manual: a pause between reads would wait for ever, so a run that pauses fails here.
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        return ((await scenario.Store.GetRunAsync(run.Id, CancellationToken.None))!, await scenario.Store.GetTimelineAsync(incident.Id, CancellationToken.None), scenario);
    }

    private static void ShouldBeReportedAsFailed(ActionRun run, IReadOnlyList<IncidentEvent> timeline, ExecutorScenario scenario, string reason)
    {
        run.Status.ShouldBe(ActionRunStatus.Failed);
        run.Reason!.ShouldStartWith($"step 1 (deployment-undo) failed: {reason}");
        timeline.ShouldContain(e => e.Kind == IncidentEventKind.StepFailed && e.Summary.Contains(reason, StringComparison.Ordinal));
        timeline.ShouldContain(e => e.Kind == IncidentEventKind.ActionCompleted && e.Summary.Contains("failed", StringComparison.Ordinal) && e.Summary.Contains(reason, StringComparison.Ordinal));
        scenario.Outbox.Queued.ShouldContain(q => q.EventKey.EndsWith("/issues", StringComparison.Ordinal) && q.Message.Fields.Any(f => f.Value.Contains(reason, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ADeletedDeployment_IsANotFoundFailure()
    {
        await _admin.SendAsync(HttpMethod.Delete, DeploymentPath, null, null, CancellationToken.None);

        var (run, timeline, scenario) = await RollBackAsync(Client(null), new() { ["deployment"] = "checkout" });

        ShouldBeReportedAsFailed(run, timeline, scenario, "deployment default/checkout not found");
        timeline.ShouldNotContain(e => e.Kind == IncidentEventKind.StateSaved);
    }

    [Fact]
    public async Task AConcurrentChange_IsAConflictFailure_AndTheOtherWritersChangeStands()
    {
        // Someone runs `kubectl set image` between Watchdog's read and its PATCH.
        using var handler = InterceptingHandler.BeforeFirstPatch(() => SetImageAsync("checkout:2.1-hotfix"));

        var (run, timeline, scenario) = await RollBackAsync(Client(handler), new() { ["deployment"] = "checkout" });

        ShouldBeReportedAsFailed(run, timeline, scenario, "conflict: the deployment changed, not rolled back");
        Image.ShouldBe("checkout:2.1-hotfix");
        timeline.ShouldContain(e => e.Kind == IncidentEventKind.StateSaved && e.Detail!.Contains("checkout:2.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARevisionTheServerRejects_IsAnInvalidFailure_AndNothingChanges()
    {
        // A hand-made ReplicaSet in the history (it carries the deployment's label and owner) whose template does not
        // match the deployment's selector: copying it is what the server refuses.
        var uid = Deployment["metadata"]!["uid"]!.GetValue<string>();
        _simulator.Create("""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"checkout-handmade","namespace":"default","labels":{"app":"checkout"},
             "annotations":{"deployment.kubernetes.io/revision":"9"},
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"checkout","uid":"OWNER-UID","controller":true,"blockOwnerDeletion":true}]},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"checkout-old"}},
              "template":{"metadata":{"labels":{"app":"checkout-old"}},"spec":{"containers":[{"name":"checkout","image":"checkout:0.9"}]}}}}
            """.Replace("OWNER-UID", uid, StringComparison.Ordinal));
        // The controller numbers the new ReplicaSet and writes the deployment's status: let it finish before the undo
        // reads, as a cluster at rest would be (a read that races it is re-read after a pause, covered elsewhere).
        await _simulator.SettleAsync(CancellationToken.None);

        var (run, timeline, scenario) = await RollBackAsync(Client(null), new() { ["deployment"] = "checkout", ["to_revision"] = "9" });

        ShouldBeReportedAsFailed(run, timeline, scenario, "failed restoring revision 9: Deployment.apps \"checkout\" is invalid: spec.template.metadata.labels: Invalid value");
        Image.ShouldBe("checkout:2.0");
    }

    [Fact]
    public async Task ADeadApiServer_IsAnUnreachableFailure()
    {
        var dead = new Uri("http://127.0.0.1:1/");

        var (run, timeline, scenario) = await RollBackAsync(Client(null, dead), new() { ["deployment"] = "checkout" });

        ShouldBeReportedAsFailed(run, timeline, scenario, "Kubernetes API unreachable: GET http://127.0.0.1:1/apis/apps/v1/namespaces/default/deployments/checkout");
        Image.ShouldBe("checkout:2.0");
    }

    [Fact]
    public async Task AnApiServerThatDiesMidAction_IsAnUnreachableFailure_ReportedWithTheDeploymentItRead()
    {
        // The server answers the reads, then is gone when the PATCH is sent.
        using var handler = InterceptingHandler.BeforeFirstPatch(async () => await _simulator.DisposeAsync());

        var (run, timeline, scenario) = await RollBackAsync(Client(handler), new() { ["deployment"] = "checkout" });

        ShouldBeReportedAsFailed(run, timeline, scenario, "Kubernetes API unreachable: PATCH");
        run.Reason!.ShouldContain(DeploymentPath);
        timeline.ShouldContain(e => e.Kind == IncidentEventKind.StateSaved);
    }
}
