using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Incidents;
using Watchdog.Incidents.Approvals;
using Watchdog.Incidents.Notifications;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// The runbook's "Circuit Breaker Activation" (patch wakala-config, then restart wakala-api), written as a plan in
/// watchdog.yaml, loaded by the config loader and run by the real executor against the simulator, then waited for.
/// </summary>
public sealed class CircuitBreakerScenarioTests : IAsyncLifetime, IDisposable
{
    private const string WakalaConfig = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"wakala-config","namespace":"production"},
         "data":{"CIRCUIT_BREAKER_ENABLED":"false","LOG_LEVEL":"info"}}
        """;

    private const string WakalaApi = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"wakala-api","namespace":"production","labels":{"app":"wakala-api"}},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"wakala-api"}},
          "template":{"metadata":{"labels":{"app":"wakala-api"}},"spec":{"containers":[{"name":"api","image":"wakala-api:7.2"}]}}}}
        """;

    private readonly TempDirectory _directory = new();
    private readonly InMemoryWatchdogStore _store = new();
    private KubernetesSimulator _simulator = null!;
    private KubernetesConnection _connection = null!;

    public Task InitializeAsync() => StartAsync(ChartRbac.Authorization());

    /// <summary>The simulator, its connection the Helm chart's service account held to <paramref name="authorization"/>.</summary>
    private async Task StartAsync(SimulatorAuthorization authorization)
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)) { Authorization = authorization }, CancellationToken.None);
        _simulator.Create(WakalaConfig);
        _simulator.Create(WakalaApi);
        await _simulator.SettleAsync(CancellationToken.None);
        _connection = new KubernetesConnection(new KubernetesClient(
            new k8s.KubernetesClientConfiguration { Host = _simulator.Url.AbsoluteUri, AccessToken = ChartRbac.Token }, TimeProvider.System));
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _store.DisposeAsync();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Plan_PatchesTheConfig_RestartsThePods_AndWaitsForTheRollout_RecordingEachChange()
    {
        var (run, incident) = await RunPlanAsync();

        (await _store.GetRunAsync(run.Id, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Succeeded);
        (await _store.GetStepsAsync(run.Id, CancellationToken.None)).Select(s => (s.Action, s.Status)).ShouldBe(
            [("configmap-patch", StepStatus.Succeeded), ("rollout-restart", StepStatus.Succeeded), ("rollout-wait", StepStatus.Succeeded)]);

        var data = _simulator.Get("v1", "ConfigMap", "production", "wakala-config")!["data"]!;
        (data["CIRCUIT_BREAKER_ENABLED"]!.GetValue<string>(), data["CIRCUIT_BREAKER_THRESHOLD"]!.GetValue<string>(), data["CIRCUIT_BREAKER_TIMEOUT"]!.GetValue<string>(), data["LOG_LEVEL"]!.GetValue<string>())
            .ShouldBe(("true", "10", "60", "info"));

        var sets = _simulator.ReplicaSetsOf("production", "wakala-api");
        var revision2 = sets.Single(rs => rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>() == "2");
        revision2["spec"]!["template"]!["metadata"]!["annotations"]![RolloutRestartAction.RestartedAtAnnotation].ShouldNotBeNull();
        revision2["status"]!["availableReplicas"]!.GetValue<int>().ShouldBe(3);
        sets.Count.ShouldBe(2);

        var timeline = await _store.GetTimelineAsync(incident.Id, CancellationToken.None);
        var saved = timeline.Where(e => e.Kind == IncidentEventKind.StateSaved).ToList();
        saved.Select(e => e.Summary).ShouldBe(
        [
            "saved the state of configmap/production/wakala-config before changing it",
            "saved the state of deployment/production/wakala-api before changing it",
        ]);
        JsonNode.Parse(saved[0].Detail!)!["data"]!["CIRCUIT_BREAKER_ENABLED"]!.GetValue<string>().ShouldBe("false");
        JsonNode.Parse(saved[1].Detail!)!["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().ShouldBe("1");
        timeline.ShouldContain(e => e.Kind == IncidentEventKind.StepProgress && e.Summary == "deployment/production/wakala-api: deployment \"wakala-api\" successfully rolled out");

        var events = await EventsAsync();
        events.Where(e => e.Source?.Component == "watchdog").Select(e => (e.Type, e.Reason, e.InvolvedObject.Kind, e.InvolvedObject.Name)).ShouldBe(
            [("Normal", "WatchdogConfigPatch", "ConfigMap", "wakala-config"), ("Normal", "WatchdogRestart", "Deployment", "wakala-api"), ("Normal", "WatchdogRolloutWait", "Deployment", "wakala-api")], ignoreOrder: true);
    }

    [Fact]
    public async Task Plan_WhoseDeploymentIsGone_StopsAtTheRestart_WithANotFoundReason_AndWaitsForNothing()
    {
        using (var http = new HttpClient { BaseAddress = _simulator.Url })
        {
            (await http.DeleteAsync(new Uri("/apis/apps/v1/namespaces/production/deployments/wakala-api", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var (run, _) = await RunPlanAsync();

        var stored = (await _store.GetRunAsync(run.Id, CancellationToken.None))!;
        stored.Status.ShouldBe(ActionRunStatus.Failed);
        stored.Reason.ShouldBe("step 2 (rollout-restart) failed: deployment/production/wakala-api not found");
        (await _store.GetStepsAsync(run.Id, CancellationToken.None)).Select(s => s.Status).ShouldBe([StepStatus.Succeeded, StepStatus.Failed, StepStatus.NotRun]);
    }

    [Fact]
    public async Task Plan_WithoutTheChartsConfigMapRule_StopsAtThePatch_WithTheForbiddenMessageAsTheRunsReason()
    {
        await _simulator.DisposeAsync();
        _connection.Dispose();
        var rule = ChartRbac.Rules.Single(r => r.Rule.Resources.Contains("configmaps")).Name;
        await StartAsync(ChartRbac.Authorization(without: rule));

        var (run, _) = await RunPlanAsync();

        var stored = (await _store.GetRunAsync(run.Id, CancellationToken.None))!;
        stored.Status.ShouldBe(ActionRunStatus.Failed);
        stored.Reason.ShouldNotBeNull();
        stored.Reason.ShouldStartWith("step 1 (configmap-patch) failed: ");
        stored.Reason.ShouldContain("""configmaps "wakala-config" is forbidden: User "system:serviceaccount:watchdog:watchdog" cannot get resource "configmaps" in API group "" in the namespace "production" """.TrimEnd());
        (await _store.GetStepsAsync(run.Id, CancellationToken.None)).Select(s => s.Status).ShouldBe([StepStatus.Failed, StepStatus.NotRun, StepStatus.NotRun]);
    }

    private async Task<(ActionRun Run, Incident Incident)> RunPlanAsync()
    {
        var target = LoadTarget();
        var options = new WatchdogOptions { Targets = [target] };
        var outbox = new NotificationOutbox([]);
        var catalog = new ActionCatalog([new ConfigMapPatchAction(_connection), new RolloutRestartAction(_connection), new RolloutWaitAction(_connection)]);
        var notices = new RunNotices(outbox, _store);
        var planner = new RunPlanner(_store, new ApprovalRequester(outbox, new ApprovalSchedule([], _ => null), new ApprovalLinks("http://127.0.0.1:8080")), notices, new ReadyRuns(), TimeProvider.System, NullLogger<ActionExecutor>.Instance);
        var executor = new ActionExecutor(options, _store, catalog, notices, TimeProvider.System, NullLogger<ActionExecutor>.Instance);
        var now = TimeProvider.System.GetUtcNow();
        Incident incident;
        await using (var tx = await _store.BeginAsync(CancellationToken.None))
        {
            incident = await tx.InsertIncidentAsync(
                new Incident
                {
                    Target = target.Name, Policy = target.Policy, Environment = "production", DetectedAt = now, TriggerRule = "error-rate-critical",
                    TriggerAction = DecisionAction.Rollback, TriggerAuthority = Authority.Automatic, TriggerSummary = "error_rate > 0.1 [0.12: true]",
                },
                CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        var decision = new Decision(now, DecisionAction.Rollback, Authority.Automatic, false, DecisionSource.Matrix, "error-rate-critical", "critical", false);
        var run = (await planner.ProposeAsync(incident, target, decision, CancellationToken.None)).ShouldNotBeNull();
        await executor.ExecuteRunAsync(run.Id, CancellationToken.None);
        return (run, incident);
    }

    /// <summary>The plan as an operator writes it, through the real config loader (nested data included).</summary>
    private TargetOptions LoadTarget()
    {
        var config = _directory.Write("watchdog.yaml", $$"""
            policies:
              - {{RepositoryPaths.Of("config", "policies", "runbook-matrix.yaml")}}
            targets:
              - name: wakala-api
                policy: runbook-matrix
                plans:
                  rollback:
                    - action: configmap-patch
                      configmap: wakala-config
                      namespace: production
                      data:
                        CIRCUIT_BREAKER_ENABLED: "true"
                        CIRCUIT_BREAKER_THRESHOLD: "10"
                        CIRCUIT_BREAKER_TIMEOUT: "60"
                    - action: rollout-restart
                      deployment: wakala-api
                      namespace: production
                    - action: rollout-wait
                      deployment: wakala-api
                      namespace: production
                      timeout: 60s
                      poll: 50ms
            """);
        var result = WatchdogConfigLoader.Load(config, WatchdogPlugins.Registry(), new Dictionary<string, string?>());
        result.Errors.ShouldBeEmpty();
        return result.Options!.Targets.ShouldHaveSingleItem();
    }

    // As the cluster admin: the chart lets Watchdog create Events, not list them.
    private async Task<List<KubernetesEvent>> EventsAsync()
    {
        using var admin = new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = _simulator.Url.AbsoluteUri }, TimeProvider.System));
        return await admin.Client.ListAllAsync(KubernetesPaths.Events("production"), new KubernetesListOptions(), KubernetesJsonContext.Default.KubernetesListKubernetesEvent, CancellationToken.None);
    }
}
