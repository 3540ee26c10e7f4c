using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Store;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Actions;

/// <summary>
/// The crash between a step's two journal writes, on a real SQLite file: the first "process" (store, executor)
/// is abandoned mid-step and disposed; the second opens the same file with nothing in memory from the first.
/// </summary>
public sealed class ExecutorCrashRecoverySqliteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false, ActionRunStatus.Interrupted, StepStatus.Interrupted, 1)]
    [InlineData(true, ActionRunStatus.Succeeded, StepStatus.Succeeded, 2)]
    public async Task CrashMidStep_NewProcessOverTheSameFile_ResumesOrReportsTheStep(bool idempotent, object runAfterValue, object stepAfterValue, int callsAfter)
    {
        var runAfter = (ActionRunStatus)runAfterValue; // internal type: xunit passes it boxed
        var stepAfter = (StepStatus)stepAfterValue;
        var path = Path.Combine(_dir.Path, "watchdog.db");
        var hang = new TaskCompletionSource();
        var calls = 0;
        var step = new RecordingAction("flag-reduce", idempotent, async (_, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                hang.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return ActionResult.Success("flag at 0%");
        });
        var undo = new RecordingAction("deployment-undo");
        long runId;
        await using (var first = WatchdogStoreFactory.OpenSqlite(path))
        {
            await first.MigrateAsync(CancellationToken.None);
            var before = new ExecutorScenario(first);
            var executor = before.Executor(step, undo);
            var incident = await before.OpenIncidentAsync();
            var run = await executor.ProposeAsync(incident, before.Target, before.Decide(), CancellationToken.None);
            runId = run!.Id;
            using var crash = new CancellationTokenSource();
            var execution = executor.ExecuteRunAsync(runId, crash.Token);
            await hang.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await crash.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(() => execution);
        }

        await using var second = WatchdogStoreFactory.OpenSqlite(path);
        await second.MigrateAsync(CancellationToken.None);
        (await second.GetStepsAsync(runId, CancellationToken.None))[0].Status.ShouldBe(StepStatus.Started);
        var after = new ExecutorScenario(second);
        var restarted = after.Executor(step, undo);
        await restarted.RecoverAsync(CancellationToken.None);
        foreach (var queued in await after.DrainReadyAsync())
        {
            await restarted.ExecuteRunAsync(queued, CancellationToken.None);
        }

        (await second.GetRunAsync(runId, CancellationToken.None))!.Status.ShouldBe(runAfter);
        (await second.GetStepsAsync(runId, CancellationToken.None))[0].Status.ShouldBe(stepAfter);
        calls.ShouldBe(callsAfter);
        var timeline = await second.GetTimelineAsync((await second.GetRunAsync(runId, CancellationToken.None))!.IncidentId, CancellationToken.None);
        timeline.ShouldContain(e => e.Kind == (idempotent ? IncidentEventKind.StepResumed : IncidentEventKind.StepInterrupted));
    }
}
