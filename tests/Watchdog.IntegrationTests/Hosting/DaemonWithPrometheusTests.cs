using System.Text.Json;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Hosting;

/// <summary>
/// The whole daemon against a real Prometheus scraping an app whose checkout fails 5 % of requests and payments 20 %:
/// one grouped query per cycle, a decision per target, an incident for the bad one only.
/// </summary>
[Collection(PrometheusTestGroup.Name)]
public sealed class DaemonWithPrometheusTests(PrometheusServer prometheus) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RealMetrics_OpenAnIncidentForTheBadTargetOnly_AndShowTheValues()
    {
        _dir.Write("policy.yaml", """
            name: errors
            matrix:
              - {id: errors-high, when: "error_rate > 0.10", for: 1s, action: rollback, authority: automatic}
            """);
        var config = WatchdogConfigLoader.Load(_dir.Write("watchdog.yaml", $$$"""
            http: {listen: "http://127.0.0.1:0"}
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{prometheus.Url}}}", timeout: 5s}
            signals:
              error_rate:
                source: prometheus
                query: 'sum(rate(http_requests_total{deployment="{{deployment}}",code="500"}[{{{PrometheusServer.RateWindow}}}])) / sum(rate(http_requests_total{deployment="{{deployment}}"}[{{{PrometheusServer.RateWindow}}}]))'
                group_by: [deployment]
                group_query: 'sum by (deployment) (rate(http_requests_total{code="500"}[{{{PrometheusServer.RateWindow}}}])) / sum by (deployment) (rate(http_requests_total[{{{PrometheusServer.RateWindow}}}]))'
            policies: [policy.yaml]
            defaults: {interval: 500ms, dry_run: true}
            targets:
              - {name: checkout, policy: errors, variables: {deployment: checkout}, plans: {rollback: [{action: notify-only}]}}
              - {name: payments, policy: errors, variables: {deployment: payments}, plans: {rollback: [{action: notify-only}]}}
            """), WatchdogPlugins.Registry(), new Dictionary<string, string?>());
        config.Errors.ShouldBeEmpty(string.Join("\n", config.Errors));
        await using var app = WatchdogHost.Build(config, []);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        JsonElement incidents = default;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((incidents = await GetAsync(http, "/api/v1/incidents?status=open")).GetArrayLength() == 0 && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        incidents.GetArrayLength().ShouldBe(1);
        incidents[0].GetProperty("target").GetString().ShouldBe("payments");
        var payments = await GetAsync(http, "/api/v1/targets/payments");
        payments.GetProperty("signals")[0].GetProperty("value").GetDouble().ShouldBe(0.20, 0.02);
        payments.GetProperty("decision").GetProperty("action").GetString().ShouldBe("rollback");
        var checkout = await GetAsync(http, "/api/v1/targets/checkout");
        checkout.GetProperty("signals")[0].GetProperty("value").GetDouble().ShouldBe(0.05, 0.02);
        checkout.GetProperty("decision").GetProperty("action").GetString().ShouldBe("none");
        checkout.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeFalse();
        checkout.GetProperty("openIncident").ValueKind.ShouldBe(JsonValueKind.Null);
        await app.StopAsync();
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative))).RootElement.Clone();
}
