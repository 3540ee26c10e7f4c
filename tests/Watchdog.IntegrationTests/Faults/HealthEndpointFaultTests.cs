using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Watchdog.Tests.TestSupport;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// Health endpoints that answer, but not healthily: a 500, and a 200 whose body lacks what a healthy one says. Each
/// is a failed probe, so the failure ratio over the target's endpoints is what the policy decides on, while a target
/// whose endpoints are all well reads 0.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class HealthEndpointFaultTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private FakeHealthEndpoint _health = null!;

    public async Task InitializeAsync() => _health = await FakeHealthEndpoint.StartAsync();

    public async Task DisposeAsync() => await _health.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task HealthEndpointsAnswering500OrTheWrongBody_AreFailedProbes_AndTheirShareDecides()
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(signal: "health_check_failure_ratio"));
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            signals:
              health_check_failure_ratio: {source: health}
            policies: [policy.yaml]
            defaults: {interval: 1s, dry_run: true}
            targets:
              - name: web
                policy: error-rate
                health:
                  - {url: "{{{_health.Endpoint("web-1", HealthAnswer.Ok)}}}", body_contains: ok, timeout: 2s}
                  - {url: "{{{_health.Endpoint("web-2", HealthAnswer.Failing(500))}}}", body_contains: ok, timeout: 2s}
                  - {url: "{{{_health.Endpoint("web-3", HealthAnswer.WrongBody("degraded"))}}}", body_contains: ok, timeout: 2s}
                  - {url: "{{{_health.Endpoint("web-4", HealthAnswer.Ok)}}}", body_contains: ok, timeout: 2s}
                plans: {rollback: [{action: notify-only}]}
              - name: fine
                policy: error-rate
                health:
                  - {url: "{{{_health.Endpoint("fine-1", HealthAnswer.Ok)}}}", body_contains: ok, timeout: 2s}
                  - {url: "{{{_health.Endpoint("fine-2", HealthAnswer.Ok)}}}", body_contains: ok, timeout: 2s}
                plans: {rollback: [{action: notify-only}]}
            """);
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);

        var web = await api.SignalAsync("web", "health_check_failure_ratio", s => s.GetProperty("state").GetString() == "value", "a value", evaluations: 3);
        var fine = await api.SignalAsync("fine", "health_check_failure_ratio", s => s.GetProperty("state").GetString() == "value", "a value", evaluations: 3);

        DaemonApi.Signal(web, "health_check_failure_ratio").GetProperty("value").GetDouble().ShouldBe(0.5, web.ToString());
        web.GetProperty("decision").GetProperty("action").GetString().ShouldBe("rollback");
        DaemonApi.Signal(fine, "health_check_failure_ratio").GetProperty("value").GetDouble().ShouldBe(0, fine.ToString());
        fine.GetProperty("decision").GetProperty("action").GetString().ShouldBe("none");
        fine.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeFalse();
        _health.ProbesOf("web-2").ShouldBeGreaterThanOrEqualTo(3);
        _health.ProbesOf("web-3").ShouldBeGreaterThanOrEqualTo(3);
    }
}
