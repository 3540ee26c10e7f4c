using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox.Kubernetes;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Kubernetes;

/// <summary>
/// The simulator with its controllers stopped (a test syncs them), a Watchdog client to it that records its
/// requests, a recording journal, and one step run as the executor runs it, at a fixed time.
/// </summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 5, TimeSpan.Zero);

    private readonly HttpClient _direct;

    private SimulatorHarness(KubernetesSimulator simulator)
    {
        Simulator = simulator;
        Client = new KubernetesClient(
            new k8s.KubernetesClientConfiguration { Host = simulator.Url.AbsoluteUri },
            TimeProvider.System,
            new KubernetesRetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(5) },
            Handler);
        Connection = new KubernetesConnection(Client);
        Journal = new RecordingJournal(() => Handler.Requests.Count);
        _direct = new HttpClient { BaseAddress = simulator.Url };
    }

    public KubernetesSimulator Simulator { get; }

    public InterceptingHandler Handler { get; } = new();

    public KubernetesClient Client { get; }

    public KubernetesConnection Connection { get; }

    public RecordingJournal Journal { get; }

    public FakeTimeProvider Time { get; } = TestClock.At(Now);

    public static async Task<SimulatorHarness> StartAsync(params string[] objects)
    {
        var simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.Zero), CancellationToken.None);
        foreach (var json in objects)
        {
            simulator.Create(json);
        }

        await simulator.SettleAsync(CancellationToken.None);
        return new SimulatorHarness(simulator);
    }

    public Task<ActionResult> RunAsync(IRollbackAction action, Dictionary<string, string> parameters)
    {
        var incident = new Incident
        {
            Id = 12, Target = "wakala-api", Policy = "runbook-matrix", DetectedAt = Now, TriggerRule = "error-rate-critical",
            TriggerAction = DecisionAction.Rollback, TriggerAuthority = Authority.Automatic, TriggerSummary = "error_rate > 0.1 [0.12: true]",
        };
        var run = new ActionRun { Id = 7, IncidentId = incident.Id, Target = incident.Target, Action = DecisionAction.Rollback, Authority = Authority.Automatic, Rule = "error-rate-critical", CreatedAt = Now };
        var context = new ActionContext(new TargetOptions { Name = incident.Target }, incident, run, new ActionStep(run.Id, 0, action.Name, parameters), Journal, Time);
        return action.ExecuteAsync(context, CancellationToken.None);
    }

    /// <summary>The Events posted in <paramref name="ns"/>, as the server lists them.</summary>
    public async Task<List<KubernetesEvent>> EventsAsync(string ns) =>
        await Client.ListAllAsync(KubernetesPaths.Events(ns), new KubernetesListOptions(), KubernetesJsonContext.Default.KubernetesListKubernetesEvent, CancellationToken.None);

    /// <summary>A write by someone else, straight to the server (not through the recorded client).</summary>
    public async Task PatchDirectlyAsync(string path, string contentType, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await _direct.PatchAsync(new Uri(path, UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    public async Task DeleteDirectlyAsync(string path)
    {
        using var response = await _direct.DeleteAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        Client.Dispose();
        _direct.Dispose();
        await Simulator.DisposeAsync();
    }
}
