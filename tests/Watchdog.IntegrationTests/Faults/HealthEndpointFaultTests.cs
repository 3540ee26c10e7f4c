using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
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

    [Fact]
    public async Task HealthEndpointHangs_TheTimeoutIsTheStatedCause_OnTheIncidentAndReport()
    {
        var report = await RollBackOnAsync(HealthAnswer.Hang, "hang");

        report.ShouldContain("no answer within 1000 ms");
    }

    [Fact]
    public async Task HealthEndpointRefusesConnections_TheCauseIsStated()
    {
        var report = await RollBackOnAsync(null, "refused");

        report.ShouldContain("connection refused");
    }

    [Fact]
    public async Task HealthEndpointNameDoesNotResolve_IsASourceError_NoActionIsTaken()
    {
        // .invalid never resolves (RFC 6761): the probe never reached the service, so nothing is known about it.
        var config = Config(("dns", ["http://watchdog-fault-test.invalid/healthz"]), ("control", [_health.Endpoint("control-1", HealthAnswer.Failing(500)).ToString()]));
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);

        await api.UntilAsync(async () => await api.IncidentsOfAsync("control") is { Count: > 0 }, "the control target (a 500) opened an incident");
        var dns = await api.SignalAsync("dns", Signal, s => s.GetProperty("state").GetString() == "error", "an error", evaluations: 3);

        DaemonApi.Signal(dns, Signal).GetProperty("error").GetString().ShouldNotBeNull().ShouldContain("the host name does not resolve");
        dns.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeTrue(dns.ToString());
        (await api.IncidentsOfAsync("dns")).ShouldBeEmpty();
    }

    [Fact]
    public async Task EveryEndpointOfThreeTargetsFailsInOneCycle_HealthIsInconclusive_NoActionIsTaken()
    {
        var config = Config(
            ("a", [FakeHealthEndpoint.RefusedUrl().ToString()]),
            ("b", [FakeHealthEndpoint.RefusedUrl().ToString(), FakeHealthEndpoint.RefusedUrl().ToString()]),
            ("c", [_health.Endpoint("c-1", HealthAnswer.Failing(503)).ToString()]));
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);

        foreach (var target in new[] { "a", "b", "c" })
        {
            var view = await api.SignalAsync(target, Signal, s => s.GetProperty("state").GetString() == "error", "an error", evaluations: 3);
            DaemonApi.Signal(view, Signal).GetProperty("error").GetString().ShouldNotBeNull().ShouldContain("points at Watchdog's own network");
            view.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeTrue(view.ToString());
            (await api.IncidentsOfAsync(target)).ShouldBeEmpty();
        }

        daemon.Log.Split('\n').Count(line => line.Contains("failed in the same cycle; health is inconclusive", StringComparison.Ordinal)).ShouldBe(1, "said once, not every cycle:\n" + daemon.Log);
    }

    [Fact]
    public async Task OneTargetWhoseEndpointsAllFail_IsStillFailing()
    {
        var config = Config(
            ("down", [FakeHealthEndpoint.RefusedUrl().ToString(), _health.Endpoint("down-2", HealthAnswer.Failing(500)).ToString()]),
            ("up-1", [_health.Endpoint("up-1", HealthAnswer.Ok).ToString()]),
            ("up-2", [_health.Endpoint("up-2", HealthAnswer.Ok).ToString()]));
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);

        await api.UntilAsync(async () => await api.IncidentsOfAsync("down") is { Count: > 0 }, "the failing target opened an incident");
        var down = await api.TargetAsync("down");
        DaemonApi.Signal(down, Signal).GetProperty("value").GetDouble().ShouldBe(1, down.ToString());
        down.GetProperty("decision").GetProperty("action").GetString().ShouldBe("rollback");
        (await api.IncidentsOfAsync("up-1")).ShouldBeEmpty();
    }

    private const string Signal = "health_check_failure_ratio";

    /// <summary>One target probing one endpoint (a refused port when <paramref name="answer"/> is null) rolls back; returns its incident report (JSON and markdown).</summary>
    private async Task<string> RollBackOnAsync(HealthAnswer? answer, string name)
    {
        var url = answer is null ? FakeHealthEndpoint.RefusedUrl() : _health.Endpoint(name, answer);
        var config = Config((name, [url.ToString()]), ("ok-1", [_health.Endpoint("ok-1", HealthAnswer.Ok).ToString()]), ("ok-2", [_health.Endpoint("ok-2", HealthAnswer.Ok).ToString()]));
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);

        var report = await api.UntilAsync(async () => await api.ReportOfAsync(name), $"{name} opened an incident");
        var id = report.GetProperty("incident").GetProperty("id").GetInt64();
        var (_, markdown) = await api.GetAsync($"api/v1/incidents/{id}?format=md");
        var view = await api.TargetAsync(name);
        output.WriteLine(view.ToString());
        DaemonApi.Signal(view, Signal).GetProperty("note").GetString().ShouldNotBeNull(view.ToString());
        var text = report.ToString() + "\n" + markdown + "\n" + DaemonApi.Signal(view, Signal).GetProperty("note").GetString();
        report.GetProperty("incident").GetProperty("triggerSummary").GetString().ShouldNotBeNull().ShouldContain("failed:");
        return text;
    }

    /// <summary>Each target's endpoints with a 1 s timeout, probed every 2 s: the probe's timeout ends a hang before the cycle's deadline does.</summary>
    private string Config(params (string Name, string[] Urls)[] targets)
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(signal: Signal));
        var lines = string.Join('\n', targets.Select(t =>
            $"  - {{name: {t.Name}, policy: error-rate, health: [{string.Join(", ", t.Urls.Select(u => $"{{url: \"{u}\", timeout: 1s}}"))}], plans: {{rollback: [{{action: notify-only}}]}}}}"));
        return _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            signals:
              health_check_failure_ratio: {source: health}
            policies: [policy.yaml]
            defaults: {interval: 2s, dry_run: false}
            targets:
            {{{lines}}}
            """);
    }
}
