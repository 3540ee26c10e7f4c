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
/// connected to it, and a way to run one action step against it as the executor would. The connection is the Helm chart's
/// service account, held to the chart's RBAC rules (<see cref="ChartRbac"/>), so every action test also proves the chart
/// grants enough; kubectl and a test's own requests carry no token and are the cluster admin's.
/// </summary>
internal sealed class SimulatedCluster : IAsyncDisposable
{
    private SimulatedCluster(KubernetesSimulator simulator)
    {
        Simulator = simulator;
        Connection = new KubernetesConnection(new KubernetesClient(ServiceAccount(), TimeProvider.System));
        Admin = new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = simulator.Url.AbsoluteUri }, TimeProvider.System));
    }


    public KubernetesSimulator Simulator { get; }

    /// <summary>The chart's service account, as Watchdog runs in the cluster.</summary>
    public KubernetesConnection Connection { get; }

    /// <summary>The cluster admin, for a test's own changes and checks that Watchdog's rules need not allow.</summary>
    public KubernetesConnection Admin { get; }

    /// <summary>What steps wrote to their incident's timeline as progress.</summary>
    public List<string> Progress { get; } = [];

    /// <summary>The details written with <see cref="Progress"/>, e.g. why an Event was not posted.</summary>
    public List<string> ProgressDetails { get; } = [];

    /// <summary>What the journal reports as the target's known-good revisions, most recent first.</summary>
    public List<KnownGoodRevision> KnownGood { get; } = [];

    /// <summary>What the journal reports as known bad (a step's <c>IsBadRevisionAsync</c>).</summary>
    public HashSet<RevisionRef> BadRevisions { get; } = [];

    /// <summary>What steps saved on their incident as the state before a change: (what, JSON).</summary>
    public List<(string What, string Json)> Saved { get; } = [];

    /// <param name="workloads">More objects to create, as JSON (e.g. <see cref="SandboxCommand.DbStatefulSet"/>).</param>
    public static Task<SimulatedCluster> StartAsync(params string[] workloads) => StartAsync(ChartRbac.Authorization(), workloads);

    /// <param name="authorization">The rules the connection is held to, e.g. the chart's less one rule.</param>
    /// <param name="workloads">As for <see cref="StartAsync(string[])"/>.</param>
    public static async Task<SimulatedCluster> StartAsync(SimulatorAuthorization authorization, params string[] workloads)
    {
        var simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)) { Authorization = authorization }, CancellationToken.None);
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
        return new KubernetesConnection(new KubernetesClient(ServiceAccount(), TimeProvider.System, handler: handler));
    }

    private k8s.KubernetesClientConfiguration ServiceAccount() => new() { Host = Simulator.Url.AbsoluteUri, AccessToken = ChartRbac.Token };

    /// <summary>
    /// A Pod labelled <c>app</c> and <c>version</c> in namespace default, reported (not) Ready as the kubelet would: the
    /// simulator keeps a ReplicaSet's pods as counts, so a selector switch's pods are made this way.
    /// </summary>
    public void CreatePod(string name, string app, string version, bool ready)
    {
        Simulator.Create($$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"default","labels":{"app":"{{{app}}}","version":"{{{version}}}"}},
             "spec":{"containers":[{"name":"{{{app}}}","image":"{{{app}}}:{{{version}}}"}]}}
            """);
        var status = ready ? "True" : "False";
        Simulator.UpdateStatus("v1", "Pod", "default", name, System.Text.Json.Nodes.JsonNode.Parse($$"""
            {"phase":"Running","conditions":[{"type":"PodScheduled","status":"True"},{"type":"ContainersReady","status":"{{status}}"},{"type":"Ready","status":"{{status}}"}]}
            """)!.AsObject());
    }

    /// <summary>The core/v1 Events in namespace default, as a LIST by the cluster admin returns them.</summary>
    public Task<List<KubernetesEvent>> EventsAsync() =>
        Admin.Client.ListAllAsync(KubernetesPaths.Events("default"), new KubernetesListOptions(), KubernetesJsonContext.Default.KubernetesListKubernetesEvent, CancellationToken.None);

    /// <summary>Runs <paramref name="action"/> as step 0 of a run on incident 1 for target <c>checkout</c>.</summary>
    public async Task<ActionResult> RunAsync(IRollbackAction action, Dictionary<string, string> parameters)
    {
        var now = TimeProvider.System.GetUtcNow();
        var incident = new Incident { Id = 1, Target = "checkout", Policy = "p", DetectedAt = now, TriggerRule = "r", TriggerAction = DecisionAction.Rollback, TriggerAuthority = Authority.Automatic, TriggerSummary = "s" };
        var run = new ActionRun { Id = 1, IncidentId = 1, Target = "checkout", Action = DecisionAction.Rollback, Authority = Authority.Automatic, Rule = "r", CreatedAt = now };
        var context = new ActionContext(new TargetOptions { Name = "checkout" }, incident, run, new ActionStep(1, 0, action.Name, parameters), new Journal(Progress, ProgressDetails, Saved, KnownGood, BadRevisions), TimeProvider.System);
        return await action.ExecuteAsync(context, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        Admin.Dispose();
        await Simulator.DisposeAsync();
    }

    private sealed class Journal(List<string> progress, List<string> details, List<(string What, string Json)> saved, List<KnownGoodRevision> knownGood, HashSet<RevisionRef> bad) : IActionJournal
    {
        public Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken)
        {
            progress.Add(summary);
            details.Add(detail ?? "");
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
