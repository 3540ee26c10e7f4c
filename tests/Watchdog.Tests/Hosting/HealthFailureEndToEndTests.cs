using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Tests.Signals.Health;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Hosting;

/// <summary>
/// A release whose health endpoint hangs past its timeout and whose other endpoint refuses connections is rolled
/// back, as the runbook says; the incident, its report and the target's signals say why, probe by probe.
/// </summary>
public sealed class HealthFailureEndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new();
    private readonly Uri _refusing = HealthEndpointServer.Unreachable();
    private HealthEndpointServer _server = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _server = await HealthEndpointServer.StartAsync();
        _dir.Write("policy.yaml", """
            name: health-runbook
            matrix:
              - {id: unhealthy, when: "health_check_failure_ratio >= 0.5", action: rollback, authority: automatic}
            """);
        var config = WatchdogConfigLoader.Load(_dir.Write("watchdog.yaml", $$$"""
            http: {listen: "http://127.0.0.1:0"}
            store: {path: watchdog.db}
            signals:
              health_check_failure_ratio: {source: health}
            policies: [policy.yaml]
            defaults: {interval: 3s, dry_run: true}
            targets:
              - name: hcapp
                policy: health-runbook
                health:
                  - {url: "{{{_server.Url("/hang")}}}", timeout: 1s}
                  - {url: "{{{_refusing}}}", timeout: 1s}
                plans: {rollback: [{action: notify-only}]}
            """), WatchdogPlugins.Registry(), new Dictionary<string, string?>());
        config.Errors.ShouldBeEmpty(string.Join("\n", config.Errors));
        _app = WatchdogHost.Build(config, []);
        await _app.StartAsync();
        _http.BaseAddress = new Uri(_app.Urls.First());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task HangingAndRefusingEndpoints_RollBack_AndTheIncidentStatesEachProbesCause()
    {
        var hang = $"{_server.Url("/hang")} no answer within 1000 ms";
        var refused = $"{_refusing} connection refused";
        JsonElement target = default;
        await Eventually.HoldsAsync(async () => (target = await TargetAsync()).GetProperty("openIncident").ValueKind == JsonValueKind.Object, "an incident opened");

        var incidentId = target.GetProperty("openIncident").GetProperty("id").GetInt64();
        var summary = target.GetProperty("openIncident").GetProperty("summary").GetString()!;
        summary.ShouldContain(hang);
        summary.ShouldContain(refused);
        var signal = target.GetProperty("signals")[0];
        signal.GetProperty("value").GetDouble().ShouldBe(1);
        signal.GetProperty("note").GetString().ShouldBe($"2/2 failed: {hang}; {refused}");

        var markdown = await _http.GetStringAsync($"/api/v1/incidents/{incidentId}?format=md");
        markdown.ShouldContain(hang);
        markdown.ShouldContain(refused);
        var report = await _http.GetStringAsync($"/api/v1/incidents/{incidentId}");
        var reading = JsonDocument.Parse(report).RootElement.GetProperty("decisions")[0].GetProperty("explanation").GetProperty("signals")[0];
        reading.GetProperty("Note").GetString().ShouldBe($"2/2 failed: {hang}; {refused}");
    }

    private async Task<JsonElement> TargetAsync() =>
        JsonDocument.Parse(await _http.GetStringAsync("/api/v1/targets/hcapp")).RootElement.Clone();
}
