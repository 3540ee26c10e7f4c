using BenchmarkDotNet.Attributes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.Benchmarks;

/// <summary>
/// What one rollback step costs Watchdog against an API server on loopback (the simulator, in process): the
/// requests kubectl would make (GET, LIST, PATCH) plus the Event, with parsing, patch building and the journal.
/// A plain undo flips between two revisions, so every iteration really patches. Not the cluster's time to roll the
/// pods: that is the controller's, and rollout-wait measures it on a real cluster.
/// </summary>
[MemoryDiagnoser]
public class KubernetesActionBenchmarks : IDisposable
{
    private KubernetesSimulator _simulator = null!;
    private KubernetesConnection _connection = null!;
    private DeploymentUndoAction _deploymentUndo = null!;
    private StatefulSetUndoAction _statefulSetUndo = null!;
    private ScaleAction _scale = null!;
    private ActionContext _undoDeployment = null!;
    private ActionContext _undoStatefulSet = null!;
    private ActionContext _scaleDeployment = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The controllers sync once a second: the benchmark measures Watchdog's requests, not the controller's work.
        _simulator = KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromSeconds(1)), CancellationToken.None).GetAwaiter().GetResult();
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        _simulator.Create(SandboxCommand.DbStatefulSet);
        _simulator.SettleAsync(CancellationToken.None).GetAwaiter().GetResult();
        _connection = new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = _simulator.Url.AbsoluteUri }, TimeProvider.System));
        SetImage("deployments/checkout", "checkout", "checkout:2.0");
        SetImage("statefulsets/db", "db", "postgres:16");
        _simulator.SettleAsync(CancellationToken.None).GetAwaiter().GetResult();
        _deploymentUndo = new DeploymentUndoAction(_connection);
        _statefulSetUndo = new StatefulSetUndoAction(_connection);
        _scale = new ScaleAction(_connection);
        _undoDeployment = Context(_deploymentUndo.Name, new() { ["deployment"] = "checkout" });
        _undoStatefulSet = Context(_statefulSetUndo.Name, new() { ["statefulset"] = "db" });
        _scaleDeployment = Context(_scale.Name, new() { ["deployment"] = "checkout", ["replicas"] = "3" });
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _connection.Dispose();
        _simulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "deployment-undo (GET, LIST, PATCH, Event)")]
    public async Task<bool> DeploymentUndo() => (await _deploymentUndo.ExecuteAsync(_undoDeployment, CancellationToken.None)).Succeeded;

    [Benchmark(Description = "statefulset-undo (GET, LIST, PATCH, Event)")]
    public async Task<bool> StatefulSetUndo() => (await _statefulSetUndo.ExecuteAsync(_undoStatefulSet, CancellationToken.None)).Succeeded;

    [Benchmark(Description = "scale to the same count (GET, GET scale, PATCH scale)")]
    public async Task<bool> Scale() => (await _scale.ExecuteAsync(_scaleDeployment, CancellationToken.None)).Succeeded;

    private void SetImage(string resource, string container, string image) =>
        _connection.Client.SendAsync(
            HttpMethod.Patch,
            $"/apis/apps/v1/namespaces/default/{resource}",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"" + container + "\",\"image\":\"" + image + "\"}]}}}}",
            "application/strategic-merge-patch+json",
            CancellationToken.None).GetAwaiter().GetResult();

    private static ActionContext Context(string action, Dictionary<string, string> parameters)
    {
        var now = TimeProvider.System.GetUtcNow();
        var incident = new Incident { Id = 1, Target = "checkout", Policy = "p", DetectedAt = now, TriggerRule = "r", TriggerAction = DecisionAction.Rollback, TriggerAuthority = Authority.Automatic, TriggerSummary = "s" };
        var run = new ActionRun { Id = 1, IncidentId = 1, Target = "checkout", Action = DecisionAction.Rollback, Authority = Authority.Automatic, Rule = "r", CreatedAt = now };
        return new ActionContext(new TargetOptions { Name = "checkout" }, incident, run, new ActionStep(1, 0, action, parameters), new NullJournal(), TimeProvider.System);
    }

    private sealed class NullJournal : IActionJournal
    {
        public Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveStateAsync(string what, string json, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CheckpointAsync(string json, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsBadRevisionAsync(RevisionRef revision, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string resource, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<KnownGoodRevision>>([]);
    }
}
