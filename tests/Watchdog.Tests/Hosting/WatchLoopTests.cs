using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Signals;
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

    [Fact]
    public async Task WatchLoop_ARequestBetweenTicks_EvaluatesTheTargetBeforeItsIntervalElapses()
    {
        await using var watch = await HourlyWatch.StartAsync();

        watch.Requests.Request(["checkout"]);

        await watch.EvaluatedAsync("checkout", 2, "the request evaluated checkout, an hour before its next slot");
        watch.Cycle.StatusOf("checkout")!.NextDueAt.ShouldBe(TestClock.Start + TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task WatchLoop_ABurstOfRequests_GivesOneEvaluation()
    {
        await using var watch = await HourlyWatch.StartAsync();

        watch.Requests.Request(["checkout"]);
        watch.Requests.Request(["checkout"]);
        watch.Requests.Request(["checkout"]);
        await watch.EvaluatedAsync("checkout", 2, "the burst evaluated checkout");

        // A later request for another target runs one more cycle: had the burst left checkout requested, that cycle
        // would evaluate it a third time.
        watch.Requests.Request(["search"]);
        await watch.EvaluatedAsync("search", 2, "the request evaluated search");
        watch.Reader.CallsFor("checkout").ShouldBe(2);
    }

    [Fact]
    public async Task WatchLoop_RequestsDuringAnEvaluation_GiveExactlyOneMoreAfterIt_NeverOneAlongside()
    {
        await using var watch = await HourlyWatch.StartAsync();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.Reader.Gate = held.Task;
        watch.Requests.Request(["checkout"]);
        await watch.ReadAsync("checkout", 2, "the requested evaluation is reading, held at the gate");

        watch.Requests.Request(["checkout"]);
        watch.Requests.Request(["checkout"]);
        watch.Time.Advance(TimeSpan.FromMilliseconds(50));
        var readsWhileHeld = watch.Reader.CallsFor("checkout");
        held.SetResult();
        await watch.EvaluatedAsync("checkout", 3, "the requests made during the evaluation gave one more after it");
        watch.Requests.Request(["search"]);
        await watch.EvaluatedAsync("search", 2, "a later request ran one more cycle");

        readsWhileHeld.ShouldBe(2, "no second evaluation of checkout started while one was running");
        watch.Reader.CallsFor("checkout").ShouldBe(3);
    }

    /// <summary>A started loop over two hourly targets, checkout and search, past its first cycle; its clock reads <see cref="TestClock.Start"/>.</summary>
    private sealed class HourlyWatch : IAsyncDisposable
    {
        private readonly WatchLoop _loop;

        private HourlyWatch()
        {
            var options = new WatchdogOptions
            {
                Targets =
                [
                    new TargetOptions { Name = "checkout", Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromHours(1) },
                    new TargetOptions { Name = "search", Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromHours(1) },
                ],
            };
            Cycle = new WatchCycle(options, TestPolicies.ErrorRateOnly(), [Reader], Time, NullLogger<WatchCycle>.Instance, requests: Requests);
            _loop = new WatchLoop(Cycle, Time, NullLogger<WatchLoop>.Instance);
        }

        public FakeTimeProvider Time { get; } = TestClock.Create();

        public FakeSignalSource Reader { get; } = new();

        public EvaluationRequests Requests { get; } = new();

        public WatchCycle Cycle { get; }

        public static async Task<HourlyWatch> StartAsync()
        {
            var watch = new HourlyWatch();
            await watch._loop.StartAsync(CancellationToken.None);
            await Eventually.HoldsAsync(() => watch.Cycle.CompletedCycles == 1, "the first cycle ran");
            return watch;
        }

        /// <summary>
        /// Waits until the target's status counts <paramref name="evaluations"/>, moving the fake clock a millisecond
        /// at a time so that the loop's coalescing wait can end (never near the targets' hourly slots).
        /// </summary>
        public Task EvaluatedAsync(string target, int evaluations, string what) =>
            Eventually.HoldsAsync(() => Advanced(() => Cycle.StatusOf(target)!.Evaluations >= evaluations), what);

        /// <summary>As <see cref="EvaluatedAsync"/>, until the source has been asked for the target <paramref name="reads"/> times.</summary>
        public Task ReadAsync(string target, int reads, string what) =>
            Eventually.HoldsAsync(() => Advanced(() => Reader.CallsFor(target) >= reads), what);

        public async ValueTask DisposeAsync()
        {
            await _loop.StopAsync(CancellationToken.None);
            _loop.Dispose();
        }

        private bool Advanced(Func<bool> condition)
        {
            if (condition())
            {
                return true;
            }

            Time.Advance(TimeSpan.FromMilliseconds(1));
            return false;
        }
    }
}
