using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// The simulator seeded with the sandbox's <c>checkout</c> Deployment (settled at revision 1) and any other workloads asked for, a Watchdog client
/// connected to it, and a way to run one action step against it as the executor would.
/// </summary>
internal sealed class SimulatedCluster : IAsyncDisposable
{
    private SimulatedCluster(KubernetesSimulator simulator)
    {
        Simulator = simulator;
        Connection = new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = simulator.Url.AbsoluteUri }, TimeProvider.System));
    }

    public KubernetesSimulator Simulator { get; }

    public KubernetesConnection Connection { get; }

    /// <summary>What steps wrote to their incident's timeline as progress.</summary>
    public List<string> Progress { get; } = [];

    /// <summary>What the journal reports as the target's known-good revisions, most recent first.</summary>
    public List<KnownGoodRevision> KnownGood { get; } = [];

    /// <summary>What the journal reports as known bad (a step's <c>IsBadRevisionAsync</c>).</summary>
    public HashSet<RevisionRef> BadRevisions { get; } = [];

    /// <summary>What steps saved on their incident as the state before a change: (what, JSON).</summary>
    public List<(string What, string Json)> Saved { get; } = [];

    /// <param name="workloads">More objects to create, as JSON (e.g. <see cref="SandboxCommand.DbStatefulSet"/>).</param>
    public static async Task<SimulatedCluster> StartAsync(params string[] workloads)
    {
        var simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        simulator.Create(SandboxCommand.CheckoutDeployment);
        foreach (var workload in workloads)
        {
            simulator.Create(workload);
        }

        await simulator.SettleAsync(CancellationToken.None);
        return new SimulatedCluster(simulator);
    }

    /// <summary>A second connection whose requests pass through <paramref name="handler"/>, e.g. to change an object between a step's read and its write.</summary>
    public KubernetesConnection Connect(DelegatingHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.InnerHandler ??= new SocketsHttpHandler();
        return new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = Simulator.Url.AbsoluteUri }, TimeProvider.System, handler: handler));
    }

    /// <summary>The core/v1 Events in namespace default, as a LIST returns them.</summary>
    public Task<List<KubernetesEvent>> EventsAsync() =>
        Connection.Client.ListAllAsync(KubernetesPaths.Events("default"), new KubernetesListOptions(), KubernetesJsonContext.Default.KubernetesListKubernetesEvent, CancellationToken.None);

    /// <summary>Runs <paramref name="action"/> as step 0 of a run on incident 1 for target <c>checkout</c>.</summary>
    public async Task<ActionResult> RunAsync(IRollbackAction action, Dictionary<string, string> parameters)
    {
        var now = TimeProvider.System.GetUtcNow();
        var incident = new Incident { Id = 1, Target = "checkout", Policy = "p", DetectedAt = now, TriggerRule = "r", TriggerAction = DecisionAction.Rollback, TriggerAuthority = Authority.Automatic, TriggerSummary = "s" };
        var run = new ActionRun { Id = 1, IncidentId = 1, Target = "checkout", Action = DecisionAction.Rollback, Authority = Authority.Automatic, Rule = "r", CreatedAt = now };
        var context = new ActionContext(new TargetOptions { Name = "checkout" }, incident, run, new ActionStep(1, 0, action.Name, parameters), new Journal(Progress, Saved, KnownGood, BadRevisions), TimeProvider.System);
        return await action.ExecuteAsync(context, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        await Simulator.DisposeAsync();
    }

    private sealed class Journal(List<string> progress, List<(string What, string Json)> saved, List<KnownGoodRevision> knownGood, HashSet<RevisionRef> bad) : IActionJournal
    {
        public Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken)
        {
            progress.Add(summary);
            return Task.CompletedTask;
        }

        public Task SaveStateAsync(string what, string json, CancellationToken cancellationToken)
        {
            saved.Add((what, json));
            return Task.CompletedTask;
        }

        // Kubernetes actions keep no checkpoint.
        public Task CheckpointAsync(string json, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsBadRevisionAsync(RevisionRef revision, CancellationToken cancellationToken) => Task.FromResult(bad.Contains(revision));

        public Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string resource, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<KnownGoodRevision>>([.. knownGood.Where(k => k.Resource == resource)]);
    }
}
