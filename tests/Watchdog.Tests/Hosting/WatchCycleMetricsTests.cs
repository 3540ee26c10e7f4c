using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Telemetry;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Hosting;

/// <summary>What one watch cycle counts: evaluations and decisions per target, signal values and errors, sources up.</summary>
public sealed class WatchCycleMetricsTests : IDisposable
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly MetricReadings _readings = new();
    private readonly WatchdogMetrics _metrics;

    public WatchCycleMetricsTests() => _metrics = new WatchdogMetrics(_readings.Factory, new FlagRolloutGauge(), new StoreGauges(), "test");

    public void Dispose() => _readings.Dispose();

    [Fact]
    public async Task RunOnce_CountsEachTargetsEvaluationAndDecision_AndShowsItsSignalValue()
    {
        var source = new FakeSignalSource("prometheus") { Values = (target, _) => SignalValue.Of(target.Name == "checkout" ? 0.2 : 0.01) };

        await Cycle(source, "checkout", "search").RunOnceAsync(CancellationToken.None);

        _readings.Of("watchdog.evaluations").Select(r => (r["target"], r["outcome"])).ShouldBe([("checkout", "rollback"), ("search", "none")], ignoreOrder: true);
        _readings.Of("watchdog.decisions").ShouldHaveSingleItem()["target"].ShouldBe("checkout");
        _readings.Observe("watchdog.signal.value").Select(r => (r["target"], r.Value)).ShouldBe([("checkout", 0.2), ("search", 0.01)], ignoreOrder: true);
        _readings.Observe("watchdog.source.up").ShouldHaveSingleItem().Value.ShouldBe(1);
    }

    [Fact]
    public async Task RunOnce_ASourceThatThrows_IsDown_AndEachSignalErrorCountsWithThatSource()
    {
        var source = new FakeSignalSource("prometheus") { Values = (_, _) => throw new InvalidOperationException("connection refused") };

        await Cycle(source, "checkout").RunOnceAsync(CancellationToken.None);

        var up = _readings.Observe("watchdog.source.up").ShouldHaveSingleItem();
        (up["source"], up.Value).ShouldBe(("prometheus", 0));
        var error = _readings.Of("watchdog.signal.errors").ShouldHaveSingleItem();
        (error["target"], error["signal"], error["source"]).ShouldBe(("checkout", "error_rate", "prometheus"));
        _readings.Of("watchdog.evaluations").ShouldHaveSingleItem()["outcome"].ShouldBe("inconclusive");
        _readings.Observe("watchdog.signal.value").ShouldBeEmpty();
    }

    private WatchCycle Cycle(ISignalSource source, params string[] targets) => new(
        new WatchdogOptions { Targets = [.. targets.Select(name => new TargetOptions { Name = name, Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromSeconds(15) })] },
        TestPolicies.ErrorRateOnly(),
        [source],
        _time,
        new RecordingLogger<WatchCycle>(),
        metrics: _metrics);
}
