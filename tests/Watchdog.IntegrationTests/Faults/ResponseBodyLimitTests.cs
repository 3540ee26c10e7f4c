using System.Text.Json;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// Answers far larger than any answer should be: a Prometheus answer past its limit, one streamed for seconds, a
/// 200 MB health page. Each is read as a stream up to its limit and no further, so it is a source error saying so
/// (never a number, never an action) and the daemon's resident set stays flat. Reading them whole took the process
/// from 0.9 to 7.5 GB in the fault campaign.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class ResponseBodyLimitTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Signal = "health_check_failure_ratio";
    private readonly TempDirectory _dir = new();
    private FakePrometheus _prometheus = null!;
    private FakeHealthEndpoint _health = null!;

    public async Task InitializeAsync()
    {
        _prometheus = await FakePrometheus.StartAsync();
        _health = await FakeHealthEndpoint.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _health.DisposeAsync();
        await _prometheus.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PrometheusAnswerLargerThanItsLimit_IsASourceErrorSayingSo()
    {
        _prometheus.Default = PrometheusAnswer.Streamed(12L << 20, TimeSpan.FromMilliseconds(200));
        await using var daemon = await DaemonProcess.StartAsync(PrometheusConfig(), output);
        using var api = new DaemonApi(daemon);

        // The answer that says so (a loaded machine can also miss the cycle's deadline while streaming 12 MiB).
        var web = await api.SignalAsync("web", "error_rate", s => TooLarge(s, "10 MiB"), "an error saying the answer is too large", evaluations: 3);

        DaemonApi.Signal(web, "error_rate").GetProperty("error").GetString().ShouldNotBeNull().ShouldContain("answer larger than 10 MiB");
        web.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeTrue(web.ToString());
        (await api.IncidentsOfAsync("web")).ShouldBeEmpty();
    }

    [Fact]
    public async Task PrometheusAnswerStreamedForSeconds_MemoryStaysFlat()
    {
        _prometheus.Default = PrometheusAnswer.Vector(0.01);
        await using var daemon = await DaemonProcess.StartAsync(PrometheusConfig(), output);
        using var api = new DaemonApi(daemon);
        var warm = await api.EvaluatedAsync("web", 4);
        var before = daemon.ResidentBytes();

        // 200 MB over 1.8 s, inside the 2 s timeout: the answer that took the process to 7.5 GB.
        _prometheus.Default = PrometheusAnswer.Streamed(200L << 20, TimeSpan.FromMilliseconds(1800));
        var after = await api.SignalAsync("web", "error_rate", s => TooLarge(s, "10 MiB"), "an error saying the answer is too large", evaluations: (int)warm.GetProperty("evaluations").GetInt64() + 4);

        DaemonApi.Signal(after, "error_rate").GetProperty("error").GetString().ShouldNotBeNull().ShouldContain("answer larger than 10 MiB");
        (await api.IncidentsOfAsync("web")).ShouldBeEmpty();
        // Each read may hold up to its 10 MiB limit, and the GC keeps some of it: well under one whole answer (200 MiB).
        AssertFlat(daemon, before, 96L << 20, "streamed Prometheus answers of 200 MiB, read to their 10 MiB limit");
    }

    [Fact]
    public async Task HealthBodyOf200Megabytes_DoesNotRaiseTheResidentSet()
    {
        // A probe that does not answer in time is a failed probe, and fails the target: on a machine loaded past 20
        // runnable processes a 1 s limit was missed by the healthy answer too, so the limit here is generous.
        var url = _health.Endpoint("dump", HealthAnswer.Ok);
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(signal: Signal));
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            signals:
              health_check_failure_ratio: {source: health}
            policies: [policy.yaml]
            defaults: {interval: 2s, dry_run: false}
            targets:
              - {name: web, policy: error-rate, health: [{url: "{{{url}}}", body_contains: ok, timeout: 5s}], plans: {rollback: [{action: notify-only}]}}
            """);
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);
        var warm = await api.SignalAsync("web", Signal, s => s.GetProperty("state").GetString() == "value", "a value", evaluations: 4);
        var before = daemon.ResidentBytes();

        _health.Change("dump", HealthAnswer.Streamed(200L << 20));
        var after = await api.SignalAsync("web", Signal, s => TooLarge(s, "64 KiB"), "an error saying the body is too large", evaluations: (int)warm.GetProperty("evaluations").GetInt64() + 4);

        DaemonApi.Signal(after, Signal).GetProperty("error").GetString().ShouldNotBeNull().ShouldContain("answer larger than 64 KiB");
        after.GetProperty("decision").GetProperty("inconclusive").GetBoolean().ShouldBeTrue(after.ToString());
        (await api.IncidentsOfAsync("web")).ShouldBeEmpty();
        _health.ProbesOf("dump").ShouldBeGreaterThanOrEqualTo(8);
        AssertFlat(daemon, before, 24L << 20, "health pages of 200 MiB, read to their 64 KiB limit");
    }

    private static bool TooLarge(JsonElement signal, string limit) =>
        signal.GetProperty("error").GetString()?.Contains($"answer larger than {limit}", StringComparison.Ordinal) == true;

    private void AssertFlat(DaemonProcess daemon, long before, long allowed, string what)
    {
        var grown = daemon.ResidentBytes() - before;
        output.WriteLine($"resident set grew by {grown / 1024.0 / 1024.0:0.0} MiB after {what}");
        grown.ShouldBeLessThan(allowed, what);
    }

    private string PrometheusConfig()
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        return _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{_prometheus.Url}}}", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            defaults: {interval: 2s, dry_run: false}
            targets:
              - {name: web, policy: error-rate, plans: {rollback: [{action: notify-only}]}}
            """);
    }
}
