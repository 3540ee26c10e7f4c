using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Hosting;

public sealed class WatchLoopTests
{
    [Fact]
    public async Task WatchLoop_RunsACycleAtOnceThenOneEachTimeTheClockReachesATick()
    {
        var time = TestClock.Create();
        var reader = new FakeSignalSource();
        var options = new WatchdogOptions
        {
            Targets = [new TargetOptions { Name = "checkout", Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromSeconds(10) }],
        };
        var cycle = new WatchCycle(options, TestPolicies.ErrorRateOnly(), [reader], time, NullLogger<WatchCycle>.Instance);
        using var loop = new WatchLoop(cycle, time, NullLogger<WatchLoop>.Instance);

        await loop.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => cycle.CompletedCycles == 1, "the first cycle ran");
        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.HoldsAsync(() => cycle.CompletedCycles == 2, "the tick at 10s ran a cycle");
        await loop.StopAsync(CancellationToken.None);

        reader.CallsFor("checkout").ShouldBe(2);
    }
}
