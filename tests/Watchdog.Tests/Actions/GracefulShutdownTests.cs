using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Actions;

/// <summary>
/// SIGTERM while a step runs (issue 15, item 5): the run worker begins no further step, lets the step under way finish
/// within <c>ha.shutdown_grace</c> and journals it, so that the next worker (the next leader, or the next start)
/// continues the plan from its next step; a step that outlasts the grace is cancelled and left for the recovery rules.
/// Real time: the steps wait on it.
/// </summary>
public sealed class GracefulShutdownTests
{
    private readonly ExecutorScenario _s = new();

    public GracefulShutdownTests() => _s.Target = _s.Target with
    {
        Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
        {
            [DecisionAction.Rollback] = [new() { Action = "restore" }, new() { Action = "notify" }],
        },
    };

    [Fact]
    public async Task StepShorterThanTheGrace_Finishes_AndTheNextWorkerContinuesWithTheNextStep()
    {
        var restore = new RecordingAction("restore", behaviour: async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            return ActionResult.Success("restored");
        });
        var notify = new RecordingAction("notify");
        var runId = await StopDuringTheFirstStepAsync(restore, notify, TimeSpan.FromSeconds(20));

        (await _s.Store.GetStepsAsync(runId, CancellationToken.None)).Select(s => (s.Status, s.Attempts))
            .ShouldBe([(StepStatus.Succeeded, 1), (StepStatus.Pending, 0)], "the step under way finished; the next was not begun");
        (await _s.Store.GetRunAsync(runId, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Running, "paused between steps, not ended");

        await RunNextWorkerUntilAsync(runId, ActionRunStatus.Succeeded, restore, notify);
        restore.CallCount.ShouldBe(1, "the finished step is not repeated");
        notify.CallCount.ShouldBe(1, "the plan went on from its next step");
        (await _s.Store.GetTimelineAsync((await _s.Store.GetRunAsync(runId, CancellationToken.None))!.IncidentId, CancellationToken.None))
            .ShouldNotContain(e => e.Kind == IncidentEventKind.StepInterrupted);
    }

    [Fact]
    public async Task StepLongerThanTheGrace_IsLeftJournalled_AndTheNextWorkerAppliesTheRecoveryRules()
    {
        var restore = new RecordingAction("restore", behaviour: async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return ActionResult.Success("never");
        });
        var notify = new RecordingAction("notify");
        var runId = await StopDuringTheFirstStepAsync(restore, notify, TimeSpan.FromMilliseconds(300));

        (await _s.Store.GetStepsAsync(runId, CancellationToken.None)).Select(s => s.Status)
            .ShouldBe([StepStatus.Started, StepStatus.Pending], "cancelled after the grace, the step stays as journalled");

        await RunNextWorkerUntilAsync(runId, ActionRunStatus.Interrupted, restore, notify);
        restore.CallCount.ShouldBe(1, "a step that is not idempotent is not repeated");
        notify.CallCount.ShouldBe(0);
    }

    private async Task<long> StopDuringTheFirstStepAsync(RecordingAction restore, RecordingAction notify, TimeSpan grace)
    {
        var executor = _s.Executor(TimeProvider.System, restore, notify);
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        var options = new WatchdogOptions { Targets = [_s.Target], Ha = new HaOptions { ShutdownGrace = grace } };
        var worker = new ActionRunWorker(executor.Executor, executor.Recovery, _s.Ready, TimeProvider.System, NullLogger<ActionRunWorker>.Instance, options: options);
        await worker.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(restore.CallCount == 1), "the first step began", TimeSpan.FromSeconds(30));
        await worker.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        worker.Dispose();
        return run!.Id;
    }

    private async Task RunNextWorkerUntilAsync(long runId, ActionRunStatus status, params RecordingAction[] actions)
    {
        var executor = _s.Executor(TimeProvider.System, actions);
        using var worker = new ActionRunWorker(executor.Executor, executor.Recovery, _s.Ready, TimeProvider.System, NullLogger<ActionRunWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.HoldsAsync(
                async () => (await _s.Store.GetRunAsync(runId, CancellationToken.None))!.Status == status, $"the run ends {status.ToName()}", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }
}
