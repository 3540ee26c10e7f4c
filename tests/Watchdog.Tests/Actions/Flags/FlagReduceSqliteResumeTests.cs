using Watchdog.Records;
using Watchdog.Store;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Actions.Flags;

/// <summary>
/// A restart in the middle of a reduction on a real SQLite file: the first process is abandoned in the hold of the
/// 25 % step and its store disposed; the second opens the same file with nothing in memory from the first.
/// </summary>
public sealed class FlagReduceSqliteResumeTests : IDisposable
{
    private static readonly TimeSpan Hold = FlagStepScenario.Hold;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RestartInTheHoldOfTwentyFive_OverTheSameFile_ResumesThatHold_ThenTen()
    {
        var path = Path.Combine(_dir.Path, "watchdog.db");
        FlagStepScenario s;
        long runId;
        await using (var first = WatchdogStoreFactory.OpenSqlite(path))
        {
            await first.MigrateAsync(CancellationToken.None);
            s = new FlagStepScenario("flag-reduce", [], first);
            s.Signals.Then(FakeTargetSignals.ErrorRate(0.05), FakeTargetSignals.ErrorRate(0.01));
            var executor = s.Executor();
            (_, runId) = await s.PlanRunAsync(executor);
            using var crash = new CancellationTokenSource();
            var execution = executor.ExecuteRunAsync(runId, crash.Token);
            await Eventually.HoldsAsync(() => s.Clock.TimersDueAfter(Hold) >= 1, "the hold at 25 % has begun");
            s.Clock.Advance(TimeSpan.FromSeconds(90));
            await crash.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(() => execution);
        }

        await using var second = WatchdogStoreFactory.OpenSqlite(path);
        await second.MigrateAsync(CancellationToken.None);
        s.Reopen(second);
        var restarted = s.Executor();
        await restarted.RecoverAsync(CancellationToken.None);
        var resumed = restarted.ExecuteRunAsync(runId, CancellationToken.None);
        await s.AdvanceAsync(TimeSpan.FromSeconds(30), 1);
        await s.AdvanceAsync(Hold, 2);

        await resumed.WaitAsync(TimeSpan.FromSeconds(10));
        s.Flags.Changes.ShouldBe(["rollout 25", "rollout 10"]);
        var run = await second.GetRunAsync(runId, CancellationToken.None);
        run!.Status.ShouldBe(ActionRunStatus.Succeeded);
        run.Reason.ShouldEndWith("pausing rollback at 10 %: error_rate <= 0.02 holds (error_rate 0.01)");
        (await second.GetStepsAsync(runId, CancellationToken.None)).Select(st => (st.Status, st.Attempts)).ShouldBe([(StepStatus.Succeeded, 2), (StepStatus.NotRun, 0)]);
        (await s.TimelineAsync(run.IncidentId, IncidentEventKind.StepProgress)).ShouldContain("resumed after a restart in the hold at 25 %: 30s of its 2m left");
    }
}
