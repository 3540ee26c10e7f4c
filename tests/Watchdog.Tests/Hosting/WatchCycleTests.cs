using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Hosting;

public sealed class WatchCycleTests
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly FakeSignalSource _reader = new();
    private readonly RecordingLogger<WatchCycle> _log = new();

    [Fact]
    public async Task RunOnce_EvaluatesEachTargetOnlyWhenItsIntervalIsDue()
    {
        var cycle = Cycle(Target("fast", 10), Target("slow", 30));

        await cycle.RunOnceAsync(CancellationToken.None);
        Calls().ShouldBe((1, 1));

        _time.Advance(TimeSpan.FromSeconds(5));
        await cycle.RunOnceAsync(CancellationToken.None);
        Calls().ShouldBe((1, 1));

        _time.Advance(TimeSpan.FromSeconds(5));
        await cycle.RunOnceAsync(CancellationToken.None);
        Calls().ShouldBe((2, 1));

        _time.Advance(TimeSpan.FromSeconds(10));
        await cycle.RunOnceAsync(CancellationToken.None);
        Calls().ShouldBe((3, 1));

        _time.Advance(TimeSpan.FromSeconds(10));
        await cycle.RunOnceAsync(CancellationToken.None);
        Calls().ShouldBe((4, 2));
        cycle.StatusOf("slow")!.NextDueAt.ShouldBe(_time.GetUtcNow() + TimeSpan.FromSeconds(30));

        (int Fast, int Slow) Calls() => (_reader.CallsFor("fast"), _reader.CallsFor("slow"));
    }

    [Fact]
    public async Task RunOnce_AfterAStall_SkipsTheMissedSlotsAndKeepsTheGrid()
    {
        var cycle = Cycle(Target("checkout", 10));
        await cycle.RunOnceAsync(CancellationToken.None);
        var start = _time.GetUtcNow();

        _time.Advance(TimeSpan.FromSeconds(35));
        await cycle.RunOnceAsync(CancellationToken.None);

        _reader.CallsFor("checkout").ShouldBe(2);
        cycle.StatusOf("checkout")!.NextDueAt.ShouldBe(start + TimeSpan.FromSeconds(40));
    }

    [Theory]
    [InlineData(new[] { 10_000, 15_000 }, 5_000)]
    [InlineData(new[] { 30_000 }, 30_000)]
    [InlineData(new[] { 1_000, 1_001 }, 100)]
    [InlineData(new int[0], 1_000)]
    public void TickPeriod_IsTheGreatestCommonDivisorOfTheIntervalsButNotBelow100ms(int[] intervalsMs, int expectedMs)
    {
        var targets = intervalsMs.Select((ms, i) => Target($"t{i}", 1) with { Interval = TimeSpan.FromMilliseconds(ms) }).ToArray();

        Cycle(targets).TickPeriod.ShouldBe(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public async Task RunOnce_RecordsTheDecisionOfEachTarget()
    {
        _reader.Values = (target, _) => SignalValue.Of(target.Name == "checkout" ? 0.2 : 0.01);
        var cycle = Cycle(Target("checkout", 15), Target("search", 15));

        await cycle.RunOnceAsync(CancellationToken.None);

        var checkout = cycle.StatusOf("checkout")!;
        checkout.Policy.ShouldBe(TestPolicies.ErrorRate);
        checkout.LastDecision.ShouldNotBeNull();
        checkout.LastDecision.Value.Action.ShouldBe(DecisionAction.Rollback);
        checkout.LastDecision.Value.Authority.ShouldBe(Authority.Automatic);
        checkout.LastDecision.Value.RuleId.ShouldBe("error-rate-high");
        checkout.LastEvaluatedAt.ShouldBe(_time.GetUtcNow());
        checkout.Evaluations.ShouldBe(1);
        var search = cycle.StatusOf("search")!;
        search.LastDecision!.Value.Action.ShouldBe(DecisionAction.None);
        search.LastDecision.Value.IsInconclusive.ShouldBeFalse();
        cycle.Statuses.Select(s => s.Target).ShouldBe(["checkout", "search"]);
    }

    [Fact]
    public async Task RunOnce_KeepsEachTargetsPolicyStateBetweenCycles_SoAForWindowCompletes()
    {
        _reader.Values = (_, _) => SignalValue.Of(0.2);
        var cycle = Cycle(TestPolicies.ErrorRateOnly(holdFor: TimeSpan.FromSeconds(30)), Target("checkout", 15));

        var actions = new List<DecisionAction>();
        for (var i = 0; i < 3; i++)
        {
            await cycle.RunOnceAsync(CancellationToken.None);
            actions.Add(cycle.StatusOf("checkout")!.LastDecision!.Value.Action);
            _time.Advance(TimeSpan.FromSeconds(15));
        }

        actions.ShouldBe([DecisionAction.None, DecisionAction.None, DecisionAction.Rollback]);
    }

    [Fact]
    public async Task RunOnce_SourceThrows_ItsSignalsAreSourceErrorsAndATargetOnAnotherSourceStillDecides()
    {
        var broken = new FakeSignalSource("broken")
        {
            Reads = (target, _) => target.Name == "broken",
            Values = (_, _) => throw new InvalidOperationException("connection refused"),
        };
        _reader.Values = (_, _) => SignalValue.Of(0.2);
        var cycle = Cycle([broken, _reader], Target("broken", 15), Target("checkout", 15));

        await cycle.RunOnceAsync(CancellationToken.None);

        cycle.StatusOf("broken")!.LastDecision!.Value.IsInconclusive.ShouldBeTrue();
        cycle.StatusOf("broken")!.Signals.Single().Error.ShouldBe("source broken failed: connection refused");
        cycle.StatusOf("checkout")!.LastDecision!.Value.Action.ShouldBe(DecisionAction.Rollback);
        var warning = _log.Entries.Single(e => e.EventId == 4);
        warning.Fields["Source"].ShouldBe("broken");
        warning.Exception!.Message.ShouldBe("connection refused");
        cycle.IsReady.ShouldBeTrue();
    }

    [Fact]
    public async Task RunOnce_ASignalNoSourceWatchesForTheTarget_IsNotApplicable_SoTheDecisionIsConclusive()
    {
        var policy = Watchdog.Tests.TestSupport.PolicyText.Compile("""
            name: error-rate
            matrix:
              - {id: errors, when: "error_rate > 0.10", action: rollback, authority: automatic}
              - {id: slow, when: "latency > 2", action: investigate, authority: on-call}
            """);
        _reader.Reads = (_, signal) => signal == "error_rate";
        _reader.Values = (_, _) => SignalValue.Of(0.01);
        var cycle = Cycle(new Dictionary<string, CompiledPolicy>(StringComparer.Ordinal) { [TestPolicies.ErrorRate] = policy }, Target("checkout", 15));

        await cycle.RunOnceAsync(CancellationToken.None);

        var status = cycle.StatusOf("checkout")!;
        status.LastDecision!.Value.IsInconclusive.ShouldBeFalse();
        status.LastDecision!.Value.Action.ShouldBe(DecisionAction.None);
        status.Signals.Single(s => s.Signal == "latency").State.ShouldBe(SignalState.NotWatched);
    }

    [Fact]
    public async Task RunOnce_ManyTargetsOnOneSource_AreReadInOneBatch()
    {
        _reader.Values = (target, _) => SignalValue.Of(target.Name == "b" ? 0.2 : 0.01);
        var cycle = Cycle(Target("a", 15), Target("b", 15), Target("c", 15));

        await cycle.RunOnceAsync(CancellationToken.None);

        _reader.Batches.ShouldBe([3]);
        cycle.StatusOf("b")!.LastDecision!.Value.Action.ShouldBe(DecisionAction.Rollback);
        cycle.StatusOf("a")!.LastDecision!.Value.Action.ShouldBe(DecisionAction.None);
    }

    [Fact]
    public async Task RunOnce_SlowSource_DelaysOnlyItsTargets_AndErrsAtTheDeadline()
    {
        var stuck = new FakeSignalSource("stuck") { Reads = (target, _) => target.Name == "slow", Gate = new TaskCompletionSource().Task };
        _reader.Values = (_, _) => SignalValue.Of(0.2);
        var cycle = Cycle([stuck, _reader], Target("slow", 15), Target("quick", 15));

        var run = cycle.RunOnceAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => cycle.StatusOf("quick")!.LastDecision is not null, "the quick target decided while the slow source hangs");
        run.IsCompleted.ShouldBeFalse();
        cycle.StatusOf("slow")!.LastDecision.ShouldBeNull();

        _time.Advance(TimeSpan.FromSeconds(10));
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        cycle.StatusOf("slow")!.LastDecision!.Value.IsInconclusive.ShouldBeTrue();
        cycle.StatusOf("slow")!.Signals.Single().Error.ShouldBe("source stuck did not answer within 10s");
    }

    [Fact]
    public async Task RunOnce_EvaluationThrowsForOneTarget_CountsTheFailureRetriesWhenDueAndTheOtherTargetStillDecides()
    {
        _reader.Reads = (target, _) => target.Name == "broken" ? throw new InvalidOperationException("bad plug-in") : true;
        _reader.Values = (_, _) => SignalValue.Of(0.2);
        var cycle = Cycle(Target("broken", 15), Target("checkout", 15));

        await cycle.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(15));
        await cycle.RunOnceAsync(CancellationToken.None);

        var broken = cycle.StatusOf("broken")!;
        broken.Failures.ShouldBe(2);
        broken.LastFailure.ShouldBe("bad plug-in");
        broken.LastFailureAt.ShouldBe(_time.GetUtcNow());
        broken.LastDecision.ShouldBeNull();
        cycle.StatusOf("checkout")!.LastDecision!.Value.Action.ShouldBe(DecisionAction.Rollback);
        _log.Entries.Count(e => e.EventId == 3 && Equals(e.Fields["Target"], "broken")).ShouldBe(2);
    }

    [Fact]
    public async Task RunOnce_SignalNoReaderCanRead_IsNotWatchedSoItsRuleDoesNotHoldAndIsNotInconclusive()
    {
        _reader.Reads = (_, _) => false;
        var cycle = Cycle(Target("checkout", 15));

        await cycle.RunOnceAsync(CancellationToken.None);

        // Issue 11: a signal no source watches for the target makes its rules not applicable, no longer unknown.
        cycle.StatusOf("checkout")!.LastDecision!.Value.IsInconclusive.ShouldBeFalse();
        cycle.StatusOf("checkout")!.Signals.Single().State.ShouldBe(SignalState.NotWatched);
        _reader.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task IsReady_FlipsOnlyWhenTheFirstCycleHasCompleted()
    {
        var gate = new TaskCompletionSource();
        _reader.Gate = gate.Task;
        var cycle = Cycle(Target("checkout", 15));

        var first = cycle.RunOnceAsync(CancellationToken.None);
        cycle.IsReady.ShouldBeFalse();
        gate.SetResult();
        await first;

        cycle.IsReady.ShouldBeTrue();
        cycle.CompletedCycles.ShouldBe(1);
    }

    [Fact]
    public async Task RunOnce_LogsADecisionOnlyWhenItChanges()
    {
        var values = new Queue<double>([0.2, 0.3, 0.01]);
        _reader.Values = (_, _) => SignalValue.Of(values.Dequeue());
        var cycle = Cycle(Target("checkout", 15));

        for (var i = 0; i < 3; i++)
        {
            await cycle.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(15));
        }

        var changes = _log.Entries.Where(e => e.EventId == 2).ToList();
        changes.Select(e => e.Fields["Action"]).ShouldBe(["rollback", "none"]);
        changes[0].Fields["Target"].ShouldBe("checkout");
        changes[0].Message.ShouldStartWith("Target checkout (policy error-rate) decision: rollback (automatic), rule error-rate-high: ");
        changes[1].Message.ShouldStartWith("Target checkout (policy error-rate) decision: none: ");
        changes[0].Fields["Explanation"].ShouldBe("rollback (automatic) by matrix row error-rate-high: error_rate > 0.1 [0.2: true]");
    }

    [Fact]
    public void Constructor_TargetNamingAnUnknownPolicy_Throws()
    {
        var target = Target("checkout", 15) with { Policy = "runbok-matrix" };

        Should.Throw<ArgumentException>(() => Cycle(target)).Message.ShouldContain("runbok-matrix");
    }

    [Fact]
    public async Task RunOnce_ARequestedTarget_IsEvaluatedBeforeItsIntervalIsDue_AndKeepsItsSchedule()
    {
        var requests = new EvaluationRequests();
        var cycle = Cycle(requests, Target("checkout", 3600), Target("search", 3600));
        await cycle.RunOnceAsync(CancellationToken.None);
        var scheduled = cycle.StatusOf("checkout")!.NextDueAt;

        _time.Advance(TimeSpan.FromSeconds(1));
        requests.Request(["checkout"]);
        await cycle.RunOnceAsync(CancellationToken.None);

        _reader.CallsFor("checkout").ShouldBe(2);
        _reader.CallsFor("search").ShouldBe(1, "only the requested target is evaluated out of its schedule");
        cycle.StatusOf("checkout")!.LastEvaluatedAt.ShouldBe(_time.GetUtcNow());
        cycle.StatusOf("checkout")!.NextDueAt.ShouldBe(scheduled, "the regular schedule stays");
    }

    [Fact]
    public async Task RunOnce_ManyRequestsForATargetBeforeACycle_EvaluateItOnce()
    {
        var requests = new EvaluationRequests();
        var cycle = Cycle(requests, Target("checkout", 3600));
        await cycle.RunOnceAsync(CancellationToken.None);

        requests.Request(["checkout"]);
        requests.Request(["checkout"]);
        requests.Request(["checkout"]);
        await cycle.RunOnceAsync(CancellationToken.None);
        await cycle.RunOnceAsync(CancellationToken.None);

        _reader.CallsFor("checkout").ShouldBe(2);
    }

    private static TargetOptions Target(string name, int intervalSeconds) =>
        new() { Name = name, Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromSeconds(intervalSeconds) };

    private WatchCycle Cycle(params TargetOptions[] targets) => Cycle(TestPolicies.ErrorRateOnly(), targets);

    private WatchCycle Cycle(Dictionary<string, CompiledPolicy> policies, params TargetOptions[] targets) =>
        new(new WatchdogOptions { Targets = targets }, policies, [_reader], _time, _log);

    private WatchCycle Cycle(ISignalSource[] sources, params TargetOptions[] targets) =>
        new(new WatchdogOptions { Targets = targets }, TestPolicies.ErrorRateOnly(), sources, _time, _log);

    private WatchCycle Cycle(EvaluationRequests requests, params TargetOptions[] targets) =>
        new(new WatchdogOptions { Targets = targets }, TestPolicies.ErrorRateOnly(), [_reader], _time, _log, requests: requests);
}
