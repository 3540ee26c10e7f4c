using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Hosting;

public sealed class WatchCycleTargetSignalsTests
{
    private readonly TimerWatchingClock _time = new();
    private readonly FakeSignalSource _source = new();
    private readonly WatchCycle _cycle;
    private readonly WatchCycleTargetSignals _signals;

    public WatchCycleTargetSignalsTests()
    {
        var target = new TargetOptions { Name = "checkout", Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromSeconds(10) };
        _cycle = new WatchCycle(new WatchdogOptions { Targets = [target] }, TestPolicies.ErrorRateOnly(), [_source], _time, new RecordingLogger<WatchCycle>());
        _signals = new WatchCycleTargetSignals(() => _cycle, _time);
    }

    [Fact]
    public async Task EvaluatedAfter_AnEvaluationAlreadyLateEnough_IsAnsweredAtOnceWithItsValues()
    {
        _source.Values = (_, _) => SignalValue.Of(0.012);
        await _cycle.RunOnceAsync(CancellationToken.None);

        var evaluation = await _signals.EvaluatedAfterAsync("checkout", _time.GetUtcNow(), TimeSpan.FromSeconds(30), CancellationToken.None);

        evaluation.ShouldNotBeNull();
        evaluation.EvaluatedAt.ShouldBe(_time.GetUtcNow());
        evaluation.Signals.ShouldBe([new SignalReading("error_rate", SignalState.Number, 0.012, null)]);
    }

    [Fact]
    public async Task EvaluatedAfter_WaitsForTheNextEvaluation_NotTheOneBeforeTheTimeAsked()
    {
        _source.Values = (_, _) => SignalValue.Of(0.2);
        await _cycle.RunOnceAsync(CancellationToken.None);
        var start = _time.GetUtcNow();

        var waiting = _signals.EvaluatedAfterAsync("checkout", start.AddSeconds(10), TimeSpan.FromSeconds(30), CancellationToken.None);
        for (var polls = 1; polls <= 20; polls++)
        {
            await AdvanceOnePollAsync(polls);
        }

        waiting.IsCompleted.ShouldBeFalse();
        _source.Values = (_, _) => SignalValue.Of(0.015);
        await _cycle.RunOnceAsync(CancellationToken.None);
        await AdvanceOnePollAsync(21);

        var evaluation = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        evaluation.ShouldNotBeNull();
        evaluation.EvaluatedAt.ShouldBe(start.AddSeconds(10));
        evaluation.Signals.Single().Value.ShouldBe(0.015);
    }

    [Fact]
    public async Task EvaluatedAfter_NoEvaluationWithinTheWait_IsNull()
    {
        await _cycle.RunOnceAsync(CancellationToken.None);

        var waiting = _signals.EvaluatedAfterAsync("checkout", _time.GetUtcNow().AddSeconds(5), TimeSpan.FromSeconds(1), CancellationToken.None);
        await AdvanceOnePollAsync(1);
        await AdvanceOnePollAsync(2);

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeNull();
    }

    // The poll's timer must exist before the clock moves, or the move is lost and the wait never ends.
    private async Task AdvanceOnePollAsync(int timers)
    {
        await Eventually.HoldsAsync(() => _time.TimersDueAfter(WatchCycleTargetSignals.Poll) >= timers, $"poll timer {timers} exists");
        _time.Advance(WatchCycleTargetSignals.Poll);
    }
}
