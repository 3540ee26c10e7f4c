using System.Text.Json;
using System.Text.Json.Nodes;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.IntegrationTests.Servers;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Hosting;

/// <summary>
/// The whole chain with nothing faked: a real Prometheus sees payments failing 20 % of requests, the daemon's policy
/// decides to roll back, its plan undoes the deployment through a kubeconfig pointing at the API simulator and waits
/// for the rollout, and the incident, the run, the saved state and the cluster's Event all say so.
/// </summary>
[Collection(PrometheusTestGroup.Name)]
public sealed class DaemonRollsBackOnKubernetesTests(PrometheusServer prometheus) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private KubernetesSimulator _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _cluster.Create("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"payments","namespace":"production","labels":{"app":"payments"}},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"payments"}},
              "template":{"metadata":{"labels":{"app":"payments"}},"spec":{"containers":[{"name":"payments","image":"payments:1.4"}]}}}}
            """);
        await _cluster.SettleAsync(CancellationToken.None);
        await _cluster.SetImageAsync("production", "payments", "payments", "payments:1.5");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private string Image => _cluster.ImageOf("production", "payments");

    [Fact]
    public async Task ABadReleaseSeenInRealMetrics_IsRolledBackOnTheCluster_AndTheIncidentSaysHow()
    {
        _dir.Write("kubeconfig.yaml", $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"}name: sim, cluster: {"{"}server: "{_cluster.Url.ToString().TrimEnd('/')}"{"}"}{"}"}]
            users: [{"{"}name: nobody, user: {"{"}{"}"}{"}"}]
            contexts: [{"{"}name: sim, context: {"{"}cluster: sim, user: nobody{"}"}{"}"}]
            current-context: sim
            """);
        _dir.Write("policy.yaml", """
            name: errors
            matrix:
              - {id: errors-high, when: "error_rate > 0.10", for: 1s, action: rollback, authority: automatic}
            """);
        var config = WatchdogConfigLoader.Load(_dir.Write("watchdog.yaml", $$$"""
            http: {listen: "http://127.0.0.1:0"}
            store: {path: watchdog.db}
            kubernetes: {kubeconfig: kubeconfig.yaml}
            sources:
              prometheus: {url: "{{{prometheus.Url}}}", timeout: 5s}
            signals:
              error_rate:
                source: prometheus
                query: 'sum(rate(http_requests_total{deployment="{{deployment}}",code="500"}[{{{PrometheusServer.RateWindow}}}])) / sum(rate(http_requests_total{deployment="{{deployment}}"}[{{{PrometheusServer.RateWindow}}}]))'
            policies: [policy.yaml]
            defaults: {interval: 500ms, dry_run: false}
            targets:
              - name: payments
                policy: errors
                variables: {deployment: payments}
                plans:
                  rollback:
                    - {action: deployment-undo, deployment: payments, namespace: production}
                    - {action: rollout-wait, deployment: payments, namespace: production, timeout: 30s, poll: 100ms}
            """), WatchdogPlugins.Registry(), new Dictionary<string, string?>());
        config.Errors.ShouldBeEmpty(string.Join("\n", config.Errors));
        await using var app = WatchdogHost.Build(config, []);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        JsonElement runs = default;
        JsonElement incident = default;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            var incidents = await GetAsync(http, "/api/v1/incidents");
            if (incidents.GetArrayLength() > 0)
            {
                incident = await GetAsync(http, $"/api/v1/incidents/{incidents[0].GetProperty("id").GetInt64()}");
                runs = incident.GetProperty("runs");
                if (runs.GetArrayLength() > 0 && runs[0].GetProperty("status").GetString() is "succeeded" or "failed" or "interrupted")
                {
                    break;
                }
            }

            await Task.Delay(100);
        }

        await app.StopAsync();
        runs.ValueKind.ShouldBe(JsonValueKind.Array, "no incident with a run within 30 s");
        runs[0].GetProperty("status").GetString().ShouldBe("succeeded", runs[0].ToString());
        Image.ShouldBe("payments:1.4");
        // The messages' versions: image tags, and the number the deployment controller gave the restored template.
        var document = incident.GetProperty("incident");
        document.GetProperty("beforeState").GetString().ShouldBe("payments:1.5 (revision 2)");
        document.GetProperty("afterState").GetString().ShouldBe("payments:1.4 (revision 3, was 1)");
        _cluster.Get("apps/v1", "Deployment", "production", "payments")!["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().ShouldBe("3");
        using var api = new HttpClient { BaseAddress = _cluster.Url };
        var events = JsonNode.Parse(await api.GetStringAsync(new Uri("/api/v1/namespaces/production/events", UriKind.Relative)))!["items"]!.AsArray();
        events.ShouldContain(e => e!["reason"]!.GetValue<string>() == "WatchdogRollback" && e["message"]!.GetValue<string>().StartsWith("Watchdog rolled back deployment/production/payments from revision 2 to revision 1", StringComparison.Ordinal));
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative))).RootElement.Clone();
}
