using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Actions;

/// <summary>
/// The store goes away while a run is under way (issue 9, failure 2). A write the executor must not lose is tried
/// again until the store answers, and the run goes on; past the retry window the run worker recovers the run once
/// the store is back (reported interrupted, never left "running" with nothing said). A decided approval whose
/// hand-over failed is handed over by the worker without a restart. Real time: the waits are Polly's backoff.
/// </summary>
public sealed class StoreOutageDuringRunTests : IAsyncDisposable
{
    private readonly OutageStore _store = new(new InMemoryWatchdogStore());
    private readonly ExecutorScenario _s;

    public StoreOutageDuringRunTests()
    {
        _s = new ExecutorScenario(_store);
        _s.Target = _s.Target with
        {
            Plans = new Dictionary<DecisionAction, IReadOnlyList<Watchdog.Configuration.PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [new() { Action = "restore" }, new() { Action = "notify" }],
            },
        };
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task StoreAwayWhenTheStepEnds_TheWriteIsTriedAgain_AndTheRunGoesOnWhenItIsBack()
    {
        // The store goes down while the step runs and comes back 700 ms later.
        var restore = new RecordingAction("restore", behaviour: (_, _) =>
        {
            _store.Down = true;
            _ = Task.Delay(700, CancellationToken.None).ContinueWith(_ => _store.Down = false, TaskScheduler.Default);
            return Task.FromResult(ActionResult.Success("restored"));
        });
        var notify = new RecordingAction("notify");
        var executor = _s.Executor(TimeProvider.System, restore, notify);
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);

        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        _store.Refused.ShouldBeGreaterThan(0, "the store was away when the step ended");
        (await _store.GetRunAsync(run.Id, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Succeeded);
        (await _store.GetStepsAsync(run.Id, CancellationToken.None)).Select(s => s.Status).ShouldBe([StepStatus.Succeeded, StepStatus.Succeeded]);
        restore.CallCount.ShouldBe(1);
        notify.CallCount.ShouldBe(1, "the plan went on once the store was back");
    }

    [Fact]
    public async Task StoreAwayPastTheRetryWindow_TheWorkerReportsTheRunInterruptedOnceTheStoreAnswers()
    {
        _s.WriteRetryFor = TimeSpan.FromMilliseconds(400);
        var restore = new RecordingAction("restore", behaviour: (_, _) =>
        {
            _store.Down = true;
            return Task.FromResult(ActionResult.Success("restored"));
        });
        var notify = new RecordingAction("notify");
        var executor = _s.Executor(TimeProvider.System, restore, notify);
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        var worker = new ActionRunWorker(executor.Executor, executor.Recovery, _s.Ready, TimeProvider.System, NullLogger<ActionRunWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(restore.CallCount == 1 && _store.Refused >= 4), "the step ran, its end could not be written, and the worker found the store away too", TimeSpan.FromSeconds(30));
            (await _store.Underlying.GetRunAsync(run!.Id, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Running, "nothing could be written while the store was away");

            _store.Down = false;

            await Eventually.HoldsAsync(
                async () => (await _store.GetRunAsync(run.Id, CancellationToken.None))!.Status == ActionRunStatus.Interrupted, "the run is reported interrupted", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        var timeline = await _store.GetTimelineAsync(incident.Id, CancellationToken.None);
        timeline.ShouldContain(e => e.Kind == IncidentEventKind.StepInterrupted && e.Summary.Contains("check its effect by hand", StringComparison.Ordinal));
        notify.CallCount.ShouldBe(0, "the rest of the plan is not run on a step whose outcome was lost");
        restore.CallCount.ShouldBe(1, "a step that is not idempotent is never repeated");
    }

    [Fact]
    public async Task ApprovalDecidedButNotHandedOver_TheWorkerHandsItOver_AndTheRunRunsWithoutARestart()
    {
        var restore = new RecordingAction("restore");
        var notify = new RecordingAction("notify");
        var executor = _s.Executor(TimeProvider.System, restore, notify);
        var incident = await _s.OpenIncidentAsync(authority: Authority.OnCall);
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(authority: Authority.OnCall), CancellationToken.None);
        run!.Status.ShouldBe(ActionRunStatus.AwaitingApproval);

        // The decision is committed; the hand-over to the executor is what failed (the store went away in between).
        var pending = (await _store.ListApprovalsAsync(ApprovalStatus.Pending, CancellationToken.None)).ShouldHaveSingleItem();
        await using (var tx = await _store.BeginAsync(CancellationToken.None))
        {
            (await tx.UpdateApprovalAsync(pending with { Status = ApprovalStatus.Approved, DecidedBy = "lena", DecidedAt = TimeProvider.System.GetUtcNow() }, ApprovalStatus.Pending, CancellationToken.None)).ShouldBeTrue();
            await tx.CommitAsync(CancellationToken.None);
        }

        var worker = new ActionRunWorker(executor.Executor, executor.Recovery, _s.Ready, TimeProvider.System, NullLogger<ActionRunWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.HoldsAsync(
                async () => (await _store.GetRunAsync(run.Id, CancellationToken.None))!.Status == ActionRunStatus.Succeeded, "the approved run ran", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        restore.CallCount.ShouldBe(1);
        notify.CallCount.ShouldBe(1);
    }
}
