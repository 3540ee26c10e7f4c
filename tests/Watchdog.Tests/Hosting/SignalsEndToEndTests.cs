using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Hosting;

/// <summary>
/// The daemon's own sources end to end: health probes against real endpoints, and an Alertmanager webhook
/// turned into the <c>alert:HighErrorRatio</c> signal that a policy rolls back on.
/// </summary>
public sealed class SignalsEndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new();
    private LoopbackReceiver _up = null!;
    private LoopbackReceiver _down = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _up = await LoopbackReceiver.StartAsync(200);
        _down = await LoopbackReceiver.StartAsync(503);
        _dir.Write("policy.yaml", """
            name: signals
            matrix:
              - {id: alerting, when: "alert:HighErrorRatio > 0", action: rollback, authority: automatic}
              - {id: unhealthy, when: "health_check_failure_ratio > 0.2", action: investigate, authority: on-call}
            """);
        var config = WatchdogConfigLoader.Load(_dir.Write("watchdog.yaml", $$$"""
            http: {listen: "http://127.0.0.1:0"}
            store: {path: watchdog.db}
            signals:
              health_check_failure_ratio: {source: health}
            policies: [policy.yaml]
            defaults: {interval: 200ms, dry_run: true}
            targets:
              - name: checkout
                policy: signals
                alerts: {match: {service: checkout}}
                health:
                  - {url: "{{{_up.Url("/healthz")}}}", timeout: 2s}
                  - {url: "{{{_down.Url("/healthz")}}}", timeout: 2s}
                plans: {rollback: [{action: notify-only}], investigate: [{action: notify-only}]}
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
        await _up.DisposeAsync();
        await _down.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task HealthProbes_OneOfTwoEndpointsDown_IsAFailureRatioOfOneHalf()
    {
        JsonElement target = default;
        await Eventually.HoldsAsync(async () => Signal(target = await TargetAsync(), "health_check_failure_ratio") is not null, "the health signal was read");

        Signal(target, "health_check_failure_ratio").ShouldBe(0.5);
        _up.Requests.ShouldNotBeEmpty();
        _down.Requests.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task AlertmanagerWebhook_BecomesAnAlertSignal_ThatThePolicyActsOn()
    {
        var firing = await File.ReadAllTextAsync(RepositoryPaths.Of("tests", "fixtures", "alertmanager", "alertmanager-webhook-firing.json"));

        using var response = await _http.PostAsync("/api/v1/alerts", new StringContent(firing, Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonElement target = default;
        await Eventually.HoldsAsync(async () => Signal(target = await TargetAsync(), "alert:HighErrorRatio") == 1, "the alert signal is firing");
        await Eventually.HoldsAsync(async () => (await TargetAsync()).GetProperty("openIncident").ValueKind == JsonValueKind.Object, "an incident opened");

        var decision = (await TargetAsync()).GetProperty("decision");
        decision.GetProperty("rule").GetString().ShouldBe("alerting");
        using var bad = await _http.PostAsync("/api/v1/alerts", new StringContent("{not json", Encoding.UTF8, "application/json"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private async Task<JsonElement> TargetAsync() =>
        JsonDocument.Parse(await _http.GetStringAsync("/api/v1/targets/checkout")).RootElement.Clone();

    private static double? Signal(JsonElement target, string name)
    {
        if (target.ValueKind != JsonValueKind.Object || target.GetProperty("signals").ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var signal = target.GetProperty("signals").EnumerateArray().FirstOrDefault(s => s.GetProperty("signal").GetString() == name);
        return signal.ValueKind == JsonValueKind.Object && signal.GetProperty("value").ValueKind == JsonValueKind.Number ? signal.GetProperty("value").GetDouble() : null;
    }
}
