using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Actions;

/// <summary>
/// A crash between the two journal writes of a step, simulated by abandoning an executor while its step is
/// under way (the "after" write never happens), then starting a new executor over the same store.
/// </summary>
public sealed class ExecutorCrashRecoveryTests
{
    private readonly ExecutorScenario _s = new();

    [Fact]
    public async Task CrashMidStep_NonIdempotentStep_IsReportedInterrupted_NotRepeated()
    {
        var hang = new TaskCompletionSource();
        var webhook = new RecordingAction("flag-reduce", idempotent: false, async (_, ct) => { hang.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); return ActionResult.Success("never"); });
        var undo = new RecordingAction("deployment-undo");
        var runId = await CrashDuringFirstStepAsync(hang, webhook, undo);

        var restarted = _s.Executor(webhook, undo);
        await restarted.RecoverAsync(CancellationToken.None);

        var run = await _s.Store.GetRunAsync(runId, CancellationToken.None);
        run!.Status.ShouldBe(ActionRunStatus.Interrupted);
        run.Reason.ShouldBe("step 1 (flag-reduce) was under way when Watchdog stopped and may or may not have taken effect");
        (await _s.Store.GetStepsAsync(runId, CancellationToken.None)).Select(s => s.Status).ShouldBe([StepStatus.Interrupted, StepStatus.NotRun]);
        (await _s.DrainReadyAsync()).ShouldBeEmpty();
        webhook.CallCount.ShouldBe(1);
        undo.CallCount.ShouldBe(0);
        (await _s.TimelineKindsAsync(run.IncidentId)).ShouldContain(IncidentEventKind.StepInterrupted);
        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldContain("ROLLBACK ISSUES DETECTED");
    }

    [Fact]
    public async Task CrashMidStep_IdempotentStep_IsResumedOnce_AndThePlanCompletes()
    {
        var hang = new TaskCompletionSource();
        var calls = 0;
        var flag = new RecordingAction("flag-reduce", idempotent: true, async (_, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                hang.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return ActionResult.Success("checkout-v2 at 0%");
        });
        var undo = new RecordingAction("deployment-undo");
        var runId = await CrashDuringFirstStepAsync(hang, flag, undo);

        var restarted = _s.Executor(flag, undo);
        await restarted.RecoverAsync(CancellationToken.None);
        (await _s.DrainReadyAsync()).ShouldBe([runId]);
        await restarted.ExecuteRunAsync(runId, CancellationToken.None);

        (await _s.Store.GetRunAsync(runId, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Succeeded);
        var steps = await _s.Store.GetStepsAsync(runId, CancellationToken.None);
        steps.Select(s => (s.Status, s.Attempts)).ShouldBe([(StepStatus.Succeeded, 2), (StepStatus.Succeeded, 1)]);
        flag.CallCount.ShouldBe(2);
        undo.CallCount.ShouldBe(1);
        (await _s.TimelineKindsAsync((await _s.Store.GetRunAsync(runId, CancellationToken.None))!.IncidentId)).ShouldContain(IncidentEventKind.StepResumed);
    }

    [Fact]
    public async Task CrashMidStep_IdempotentStep_ReadsBackTheCheckpointItKept()
    {
        var hang = new TaskCompletionSource();
        var seen = new List<string?>();
        var flag = new RecordingAction("flag-reduce", idempotent: true, async (context, ct) =>
        {
            seen.Add(context.Step.Result);
            if (seen.Count == 1)
            {
                await context.Journal.CheckpointAsync("""{"percent":25}""", ct);
                hang.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return ActionResult.Success("checkout-v2 at 0%");
        });
        var runId = await CrashDuringFirstStepAsync(hang, flag, new RecordingAction("deployment-undo"));

        var restarted = _s.Executor(flag, new RecordingAction("deployment-undo"));
        await restarted.RecoverAsync(CancellationToken.None);
        await restarted.ExecuteRunAsync(runId, CancellationToken.None);

        seen.ShouldBe([null, """{"percent":25}"""]);
        (await _s.Store.GetStepsAsync(runId, CancellationToken.None))[0].Result.ShouldBe("""{"summary":"checkout-v2 at 0%","before":null,"after":null,"detail":null}""");
    }

    [Fact]
    public async Task CrashBetweenSteps_ResumesWithTheNextStep_WithoutRepeatingTheFinishedOne()
    {
        var flag = new RecordingAction("flag-reduce");
        var hang = new TaskCompletionSource();
        var undoCalls = 0;
        var undo = new RecordingAction("deployment-undo", idempotent: false, async (_, ct) =>
        {
            if (Interlocked.Increment(ref undoCalls) == 1)
            {
                hang.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return ActionResult.Success("undone");
        });
        var executor = _s.Executor(flag, undo);
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        using var crash = new CancellationTokenSource();
        var execution = executor.ExecuteRunAsync(run!.Id, crash.Token);
        await hang.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await crash.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => execution);

        // Step 1 was under way and is not idempotent: interrupted. Step 0 had finished: never run again.
        await _s.Executor(flag, undo).RecoverAsync(CancellationToken.None);

        (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None)).Select(s => s.Status).ShouldBe([StepStatus.Succeeded, StepStatus.Interrupted]);
        flag.CallCount.ShouldBe(1);
    }

    [Fact]
    public async Task RunQueuedButNotStarted_IsQueuedAgainAfterRestart()
    {
        var flag = new RecordingAction("flag-reduce");
        var undo = new RecordingAction("deployment-undo");
        var incident = await _s.OpenIncidentAsync();
        var run = await _s.Executor(flag, undo).ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);

        var restarted = _s.Executor(flag, undo);
        await restarted.RecoverAsync(CancellationToken.None);

        (await _s.DrainReadyAsync()).ShouldBe([run!.Id]);
    }

    private async Task<long> CrashDuringFirstStepAsync(TaskCompletionSource hang, params IRollbackAction[] actions)
    {
        var executor = _s.Executor(actions);
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        using var crash = new CancellationTokenSource();
        var execution = executor.ExecuteRunAsync(run!.Id, crash.Token);
        await hang.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The step is journalled as started and has not finished: this is the moment the process dies.
        (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None))[0].Status.ShouldBe(StepStatus.Started);
        await crash.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => execution);
        (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None))[0].Status.ShouldBe(StepStatus.Started);
        return run.Id;
    }
}
