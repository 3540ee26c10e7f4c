using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Kubernetes;
using Watchdog.IntegrationTests.Servers;
using Watchdog.Sandbox.Demo;
using Watchdog.Sandbox.Kubernetes;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// Everything the end-to-end scenarios run against, real where it can be, started once for the suite (in parallel,
/// ~10 s) and stopped by PID when it ends:
/// <list type="bullet">
/// <item>the Kubernetes simulator (<see cref="Cluster"/>), where each scenario deploys workloads of its own in
/// namespace <see cref="Namespace"/> (<see cref="DeployAsync"/>, <see cref="ReleaseAsync"/>), checked with real kubectl
/// (<see cref="KubectlAsync"/>) and by its request log (<see cref="PatchesByWatchdog"/>);</item>
/// <item>the sample app: 100 requests/s per deployment whose 5xx share is the error rate of the image the simulator
/// runs for it now (the demo's <see cref="SampleApp"/> map), served as <c>http_requests_total{namespace,deployment,code}</c>
/// on the <see cref="MetricsEndpoint"/> that</item>
/// <item>a real Prometheus (<see cref="Prometheus"/>) scrapes every 200 ms, evaluating the alerting rule
/// <see cref="AlertName"/> (error rate above 5 %, labelled with the deployment) and sending it to</item>
/// <item>a real Alertmanager (<see cref="Alertmanager"/>), whose webhook goes nowhere useful until a scenario points it
/// at its daemon (<see cref="SendAlertsToAsync"/>);</item>
/// <item>a real PostgreSQL (<see cref="Postgres"/>): every daemon's store, a database of its own, and Unleash's;</item>
/// <item>a real Unleash (<see cref="Unleash"/>) for flag plans;</item>
/// <item>a <see cref="RecordingReceiver"/> (<see cref="Receiver"/>) as the daemons' webhook notification channels.</item>
/// </list>
/// A scenario names its deployments after itself (they are its targets' names too) and starts its own daemon with
/// <see cref="StartDaemonAsync"/>, so scenarios stay independent while they share the servers.
/// </summary>
public sealed class EndToEndWorld : IAsyncLifetime, IDisposable
{
    public const string Namespace = "e2e";

    /// <summary>The alerting rule Prometheus evaluates; its alerts carry <c>deployment</c> and <c>service</c> (the same).</summary>
    public const string AlertName = "E2EHighErrorRate";

    /// <summary>The bearer token Alertmanager sends and the daemons' intake requires.</summary>
    public const string AlertmanagerToken = "e2e-alertmanager-token-4b7d";

    /// <summary>Requests per second the sample app serves for each deployment.</summary>
    public const double RequestsPerSecond = 100;

    /// <summary>The container every deployment runs (<c>kubectl set image deployment/NAME app=IMAGE</c>).</summary>
    public const string Container = "app";

    /// <summary>The PromQL of a deployment's 5xx share over the last 2 s (ten scrapes); <c>{{deployment}}</c> is the target's variable.</summary>
    public static readonly string ErrorRateQuery =
        $"sum(rate(http_requests_total{{namespace=\"{Namespace}\",deployment=\"{{{{deployment}}}}\",code=~\"5..\"}}[{PrometheusServer.RateWindow}]))"
        + $" / sum(rate(http_requests_total{{namespace=\"{Namespace}\",deployment=\"{{{{deployment}}}}\"}}[{PrometheusServer.RateWindow}]))";

    private readonly TempDirectory _dir = new();
    private readonly ConcurrentDictionary<string, int> _ownPatches = new(StringComparer.Ordinal);

    public KubernetesSimulator Cluster { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public AlertmanagerServer Alertmanager { get; private set; } = null!;

    public PostgresServer Postgres { get; } = new();

    public UnleashServer Unleash { get; private set; } = null!;

    public RecordingReceiver Receiver { get; private set; } = null!;

    /// <summary>How long starting the world took, for the record.</summary>
    public TimeSpan StartTime { get; private set; }

    public async Task InitializeAsync()
    {
        var started = Stopwatch.StartNew();
        Receiver = await RecordingReceiver.StartAsync();
        var alerting = StartAlertingAsync();
        var store = StartStoreAndFlagsAsync();
        Cluster = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(50)), CancellationToken.None);
        await Task.WhenAll(alerting, store);
        StartTime = started.Elapsed;
    }

    /// <summary>
    /// Creates deployment <paramref name="name"/> (2 replicas of <paramref name="image"/>, revision 1), settled, and
    /// serves its requests from now on at the error rate of whatever image it runs.
    /// </summary>
    public async Task DeployAsync(string name, string image = SampleApp.StableImage)
    {
        Cluster.Create(SimulatorImages.Deployment(Namespace, name, Container, image));
        await Cluster.SettleAsync(CancellationToken.None);
        var app = new SampleApp(() => ImageOf(name), TimeProvider.System);
        Prometheus.Metrics.SetCounter(Series(name, "200"), () => RequestsPerSecond * (1 - app.ErrorRate));
        Prometheus.Metrics.SetCounter(Series(name, "500"), () => RequestsPerSecond * app.ErrorRate);
    }

    /// <summary>A release, as <c>kubectl set image</c> makes one: a new revision running <paramref name="image"/>, settled.</summary>
    public async Task ReleaseAsync(string name, string image)
    {
        _ownPatches.AddOrUpdate(name, 1, (_, n) => n + 1);
        await Cluster.SetImageAsync(Namespace, name, Container, image);
    }

    public string ImageOf(string name) => Cluster.ImageOf(Namespace, name);

    /// <summary>PATCHes of the deployment in the simulator's request log, less the world's own releases: what Watchdog sent.</summary>
    public int PatchesByWatchdog(string name) =>
        Cluster.Requests.Count(r => r.Method == "PATCH" && r.Path == $"/apis/apps/v1/namespaces/{Namespace}/deployments/{name}") - _ownPatches.GetValueOrDefault(name);

    /// <summary>The plan step that undoes the deployment (kubectl's <c>rollout undo</c>).</summary>
    public static string Undo(string name) => $"{{action: deployment-undo, deployment: {name}, namespace: {Namespace}}}";

    /// <summary>The plan step that waits for the deployment's rollout (kubectl's <c>rollout status</c>).</summary>
    public static string RolloutWait(string name, string timeout = "60s") =>
        $"{{action: rollout-wait, deployment: {name}, namespace: {Namespace}, timeout: {timeout}, poll: 200ms}}";

    /// <summary>Runs the real kubectl against the simulator in <see cref="Namespace"/>.</summary>
    public Task<(int ExitCode, string Output, string Error)> KubectlAsync(params string[] arguments) =>
        new Kubectl(Cluster.Url, _dir.Path, Namespace).RunAsync(arguments);

    /// <summary>Asks the real Prometheus an instant query; true when its answer holds a sample.</summary>
    public async Task<bool> PrometheusHasSampleAsync(string query)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri(Prometheus.Url, "api/v1/query?query=" + Uri.EscapeDataString(query))));
        return answer.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() > 0;
    }

    /// <summary>The deployment's error rate as the real Prometheus computes it now is above the policies' threshold.</summary>
    public Task<bool> PrometheusSeesBreachAsync(string name) =>
        PrometheusHasSampleAsync($"({ErrorRateQuery.Replace("{{deployment}}", name, StringComparison.Ordinal)}) > {EndToEndPolicies.Threshold}");

    /// <summary>From now on Alertmanager's webhook goes to <paramref name="daemon"/>'s <c>/api/v1/alerts</c>.</summary>
    public Task SendAlertsToAsync(EndToEndDaemon daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        return Alertmanager.SendToAsync(new Uri(daemon.Process.Url, "api/v1/alerts"));
    }

    /// <summary>
    /// Starts a daemon watching <paramref name="targets"/> on a fresh PostgreSQL database, with the world's Prometheus,
    /// Alertmanager intake, Unleash and simulator; see <see cref="EndToEndDaemon"/> for its configuration.
    /// </summary>
    public async Task<EndToEndDaemon> StartDaemonAsync(ITestOutputHelper output, params EndToEndTarget[] targets)
    {
        var database = await Postgres.CreateDatabaseAsync();
        return await EndToEndDaemon.StartAsync(this, database, output, targets);
    }

    public async Task DisposeAsync()
    {
        // Each is stopped whatever happened to the others; the first failure goes on.
        var stops = new List<Func<Task>>
        {
            async () => await (Prometheus?.DisposeAsync() ?? Task.CompletedTask), // first: its scrapes read the cluster
            async () => await (Alertmanager?.DisposeAsync() ?? ValueTask.CompletedTask),
            async () => await (Cluster?.DisposeAsync() ?? ValueTask.CompletedTask),
            async () => await (Unleash?.DisposeAsync() ?? Task.CompletedTask),
            () => Postgres.DisposeAsync(),
            async () => await (Receiver?.DisposeAsync() ?? ValueTask.CompletedTask),
        };
        var failures = new List<Exception>();
        foreach (var stop in stops)
        {
            try
            {
                await stop();
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("stopping the end-to-end world", failures);
        }
    }

    public void Dispose() => _dir.Dispose();

    private static string Series(string deployment, string code) =>
        $"http_requests_total{{namespace=\"{Namespace}\",deployment=\"{deployment}\",code=\"{code}\"}}";

    private async Task StartAlertingAsync()
    {
        Alertmanager = await AlertmanagerServer.StartAsync(Receiver.Endpoint("alertmanager-unrouted"), new Dictionary<string, string>
        {
            ["GROUP_WAIT"] = "0s",
            ["GROUP_INTERVAL"] = "1s",
            ["REPEAT_INTERVAL"] = "1h",
            ["RECEIVER_AUTH"] = AlertmanagerToken,
        });
        var rules = _dir.Write("rules.yaml", $$"""
            groups:
              - name: e2e
                rules:
                  - alert: {{AlertName}}
                    expr: 'sum by (deployment) (rate(http_requests_total{namespace="{{Namespace}}",code=~"5.."}[{{PrometheusServer.RateWindow}}])) / sum by (deployment) (rate(http_requests_total{namespace="{{Namespace}}"}[{{PrometheusServer.RateWindow}}])) > {{EndToEndPolicies.Threshold}}'
                    labels: {service: '{{"{{"}} $labels.deployment {{"}}"}}'}
                    annotations: {summary: 'error rate {{"{{"}} $value {{"}}"}} on {{"{{"}} $labels.deployment {{"}}"}}'}
            """);
        Prometheus = await PrometheusServer.StartAsync(rules, Alertmanager.Url);
    }

    private async Task StartStoreAndFlagsAsync()
    {
        await Postgres.InitializeAsync();
        Unleash = await UnleashServer.StartAsync(Postgres);
    }
}
