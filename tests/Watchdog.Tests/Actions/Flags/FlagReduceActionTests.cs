using System.Text.Json;
using Watchdog.Actions.Flags;
using Watchdog.Flags;
using Watchdog.Records;

namespace Watchdog.Tests.Actions.Flags;

public sealed class FlagReduceActionTests
{
    private static readonly DateTimeOffset T0 = ExecutorScenario.T0;
    private static readonly TimeSpan Hold = FlagStepScenario.Hold;

    private readonly FlagStepScenario _s = new("flag-reduce", []);

    [Fact]
    public async Task StillUnhealthyAtEveryStep_ReducesFiftyToZero_DisablesTheFlag_AndThePlanGoesOn()
    {
        _s.Signals.Then(FakeTargetSignals.ErrorRate(0.05));
        var executor = _s.Executor();
        var (incidentId, runId) = await _s.PlanRunAsync(executor);

        var execution = executor.ExecuteRunAsync(runId, CancellationToken.None);
        for (var hold = 1; hold <= 4; hold++)
        {
            await _s.AdvanceAsync(Hold, hold);
        }

        await execution.WaitAsync(TimeSpan.FromSeconds(10));
        _s.Flags.Changes.ShouldBe(["rollout 25", "rollout 10", "rollout 5", "rollout 0", "enabled False"]);
        _s.Flags.State.Enabled.ShouldBeFalse();
        _s.Signals.Asked.Select(a => a.NotBefore).ShouldBe([T0 + Hold, T0 + (2 * Hold), T0 + (3 * Hold), T0 + (4 * Hold)]);
        _s.Signals.Asked.ShouldAllBe(a => a.Target == "checkout");
        (await _s.Store.GetRunAsync(runId, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Succeeded);
        var steps = await _s.Store.GetStepsAsync(runId, CancellationToken.None);
        steps.Select(s => s.Status).ShouldBe([StepStatus.Succeeded, StepStatus.Succeeded]);
        using (var result = JsonDocument.Parse(steps[0].Result!))
        {
            result.RootElement.GetProperty("summary").GetString().ShouldBe("checkout-v2 reduced 50 % → 0 % and disabled; error_rate <= 0.02 did not hold at any step");
            result.RootElement.GetProperty("before").GetString().ShouldBe("checkout-v2 on at 50 %");
            result.RootElement.GetProperty("after").GetString().ShouldBe("checkout-v2 off");
        }

        _s.Undo.CallCount.ShouldBe(1);
        var progress = await _s.TimelineAsync(incidentId, IncidentEventKind.StepProgress);
        progress.ShouldContain("checkout-v2 on at 50 % in production: reducing through 25 %, 10 %, 5 %, 0 %, holding 2m after each until error_rate <= 0.02");
        progress.ShouldContain("Reducing checkout-v2: 50 % → 25 % (step 1 of 4)");
        progress.ShouldContain("holding at 25 % for 2m, then checking error_rate <= 0.02");
        progress.ShouldContain("check at 25 %: error_rate 0.05: error_rate <= 0.02 does not hold");
        progress.ShouldContain("Reducing checkout-v2: 5 % → 0 % (step 4 of 4)");
        progress.ShouldContain("check at 0 %: error_rate 0.05: error_rate <= 0.02 does not hold");
        (await _s.TimelineAsync(incidentId, IncidentEventKind.StateSaved)).ShouldBe(["saved the state of flag checkout-v2 before changing it"]);
        (await _s.Store.GetIncidentAsync(incidentId, CancellationToken.None))!.BeforeState.ShouldBe("checkout-v2 on at 50 %");
        _s.ProgressPages.ShouldBe([
            "Reducing checkout-v2: 50 % → 25 % (step 1 of 4)",
            "Reducing checkout-v2: 25 % → 10 % (step 2 of 4)",
            "Reducing checkout-v2: 10 % → 5 % (step 3 of 4)",
            "Reducing checkout-v2: 5 % → 0 % (step 4 of 4)",
            "checkout-v2 still unhealthy at 0 %: disabled",
        ]);
        _s.Outbox.Queued.Where(q => q.Message.Fields.Any(f => f.Key == "Progress")).ShouldAllBe(q => q.Message.Title == "ROLLBACK IN PROGRESS");
        var started = _s.Outbox.Queued.First(q => q.Message.Title == "ROLLBACK IN PROGRESS").Message.Fields.ToDictionary(f => f.Key, f => f.Value);
        started["Previous Version"].ShouldBe("checkout-v2 on at 50 %");
        started["Rolling Back To"].ShouldBe("checkout-v2 stepped down to 25 %, 10 %, 5 %, 0 %, pausing once healthy");
    }

    [Fact]
    public async Task StillUnhealthyWithDisableAtZeroFalse_StopsAtZeroPercent_FlagStaysOn()
    {
        var s = new FlagStepScenario("flag-reduce", new() { ["steps"] = "20,0", ["hold"] = "30s", ["disable_at_zero"] = "false" });
        s.Signals.Then(FakeTargetSignals.ErrorRate(0.05));
        var executor = s.Executor();
        var (_, runId) = await s.PlanRunAsync(executor);

        var execution = executor.ExecuteRunAsync(runId, CancellationToken.None);
        await s.AdvanceAsync(TimeSpan.FromSeconds(30), 1);
        await s.AdvanceAsync(TimeSpan.FromSeconds(30), 2);

        await execution.WaitAsync(TimeSpan.FromSeconds(10));
        s.Flags.Changes.ShouldBe(["rollout 20", "rollout 0"]);
        s.Flags.State.Enabled.ShouldBeTrue();
        (await s.TimelineAsync((await s.Store.GetRunAsync(runId, CancellationToken.None))!.IncidentId, IncidentEventKind.StepSucceeded))[0]
            .ShouldBe("step 1: flag-reduce succeeded: checkout-v2 reduced 50 % → 0 %; error_rate <= 0.02 did not hold at any step");
        s.Undo.CallCount.ShouldBe(1);
    }

    [Fact]
    public async Task FlagAlreadyOff_ChangesNothing_AndThePlanGoesOn()
    {
        _s.Flags.State = _s.Flags.State with { Enabled = false };
        var executor = _s.Executor();
        var (incidentId, runId) = await _s.PlanRunAsync(executor);

        await executor.ExecuteRunAsync(runId, CancellationToken.None);

        _s.Flags.Changes.ShouldBeEmpty();
        (await _s.TimelineAsync(incidentId, IncidentEventKind.StepSucceeded))[0].ShouldBe("step 1: flag-reduce succeeded: checkout-v2 is already off in production; nothing to reduce");
        _s.Undo.CallCount.ShouldBe(1);
    }

    [Fact]
    public async Task HealthyAtTheCheckAfterTenPercent_PausesThere_AndThePlanEndsRecoveredWithoutTheUndo()
    {
        _s.Signals.Then(FakeTargetSignals.ErrorRate(0.05), FakeTargetSignals.ErrorRate(0.012));
        var executor = _s.Executor();
        var (incidentId, runId) = await _s.PlanRunAsync(executor);

        var execution = executor.ExecuteRunAsync(runId, CancellationToken.None);
        await _s.AdvanceAsync(Hold, 1);
        await _s.AdvanceAsync(Hold, 2);

        await execution.WaitAsync(TimeSpan.FromSeconds(10));
        _s.Flags.Changes.ShouldBe(["rollout 25", "rollout 10"]);
        _s.Flags.State.Enabled.ShouldBeTrue();
        var run = await _s.Store.GetRunAsync(runId, CancellationToken.None);
        run!.Status.ShouldBe(ActionRunStatus.Succeeded);
        run.Reason.ShouldBe("step 1 (flag-reduce) found the target recovered: pausing rollback at 10 %: error_rate <= 0.02 holds (error_rate 0.012)");
        var steps = await _s.Store.GetStepsAsync(runId, CancellationToken.None);
        steps.Select(s => s.Status).ShouldBe([StepStatus.Succeeded, StepStatus.NotRun]);
        steps[1].Error.ShouldBe($"not run: {run.Reason}");
        _s.Undo.CallCount.ShouldBe(0);
        var incident = await _s.Store.GetIncidentAsync(incidentId, CancellationToken.None);
        (incident!.BeforeState, incident.AfterState).ShouldBe(("checkout-v2 on at 50 %", "checkout-v2 on at 10 %"));
        (await _s.TimelineAsync(incidentId, IncidentEventKind.StepProgress)).ShouldContain("check at 10 %: error_rate 0.012: error_rate <= 0.02 holds");
        (await _s.TimelineAsync(incidentId, IncidentEventKind.ActionCompleted)).Single().ShouldContain("pausing rollback at 10 %");
        _s.ProgressPages.ShouldBe([
            "Reducing checkout-v2: 50 % → 25 % (step 1 of 4)",
            "Reducing checkout-v2: 25 % → 10 % (step 2 of 4)",
            "error_rate <= 0.02 holds (error_rate 0.012): pausing rollback at 10 %",
        ]);
    }

    [Fact]
    public async Task FromThirtyPercent_TheFirstStepIsTwentyFive_NeverARaise()
    {
        _s.Flags.State = _s.Flags.State with { Strategies = [new FlagStrategy("s1", "flexibleRollout", 30)] };
        _s.Signals.Then(FakeTargetSignals.ErrorRate(0.01));
        var executor = _s.Executor();
        var (_, runId) = await _s.PlanRunAsync(executor);

        var execution = executor.ExecuteRunAsync(runId, CancellationToken.None);
        await _s.AdvanceAsync(Hold, 1);

        await execution.WaitAsync(TimeSpan.FromSeconds(10));
        _s.Flags.Changes.ShouldBe(["rollout 25"]);
        (await _s.Store.GetRunAsync(runId, CancellationToken.None))!.Reason.ShouldEndWith("pausing rollback at 25 %: error_rate <= 0.02 holds (error_rate 0.01)");
    }

    [Theory]
    [InlineData(50, new[] { 25, 10, 5, 0 })]
    [InlineData(30, new[] { 25, 10, 5, 0 })]
    [InlineData(7, new[] { 5, 0 })]
    [InlineData(100, new[] { 50, 25, 10, 5, 0 })]
    [InlineData(0, new int[0])]
    public void Steps_AreOnlyThoseStrictlyBelowTheCurrentPercentage(int current, int[] expected) =>
        ReductionSteps.Below(ReductionSteps.TryParse(ReductionSteps.Default, out _)!, current).ShouldBe(expected);

    [Fact]
    public async Task UnknownDataAtACheck_HoldsOnceMore_ThenCountsAsUnhealthyAndGoesDown()
    {
        _s.Signals.Then(FakeTargetSignals.NoData, null, FakeTargetSignals.ErrorRate(0.015));
        var executor = _s.Executor();
        var (incidentId, runId) = await _s.PlanRunAsync(executor);

        var execution = executor.ExecuteRunAsync(runId, CancellationToken.None);
        await _s.AdvanceAsync(Hold, 1);
        await _s.AdvanceAsync(Hold, 2);
        await _s.AdvanceAsync(Hold, 3);

        await execution.WaitAsync(TimeSpan.FromSeconds(10));
        _s.Flags.Changes.ShouldBe(["rollout 25", "rollout 10"]);
        _s.Signals.Asked.Select(a => a.NotBefore).ShouldBe([T0 + Hold, T0 + (2 * Hold), T0 + (3 * Hold)]);
        var progress = await _s.TimelineAsync(incidentId, IncidentEventKind.StepProgress);
        progress.ShouldContain("check at 25 %: error_rate unknown (no data): error_rate <= 0.02 unknown");
        progress.ShouldContain("holding at 25 % once more (2m) before deciding");
        progress.ShouldContain("check at 25 %: error_rate unknown (no evaluation of the target came in time): error_rate <= 0.02 unknown");
        progress.ShouldContain("data still unknown at 25 % after one more hold: taken as unhealthy, the rollback goes on");
        (await _s.Store.GetRunAsync(runId, CancellationToken.None))!.Reason.ShouldEndWith("pausing rollback at 10 %: error_rate <= 0.02 holds (error_rate 0.015)");
    }

    [Fact]
    public async Task ProviderFailingMidReduction_IsAClearStepFailure_AndTheUndoDoesNotRun()
    {
        _s.Signals.Then(FakeTargetSignals.ErrorRate(0.05));
        _s.Flags.Fails = operation => operation == "rollout 10" ? new FlagProviderException("unleash answered 503 Service Unavailable to PATCH .../strategies/s1") : null;
        var executor = _s.Executor();
        var (_, runId) = await _s.PlanRunAsync(executor);

        var execution = executor.ExecuteRunAsync(runId, CancellationToken.None);
        await _s.AdvanceAsync(Hold, 1);

        await execution.WaitAsync(TimeSpan.FromSeconds(10));
        var run = await _s.Store.GetRunAsync(runId, CancellationToken.None);
        run!.Status.ShouldBe(ActionRunStatus.Failed);
        run.Reason.ShouldBe("step 1 (flag-reduce) failed: flag checkout-v2: unleash answered 503 Service Unavailable to PATCH .../strategies/s1");
        (await _s.Store.GetStepsAsync(runId, CancellationToken.None))[0].Result.ShouldNotBeNull().ShouldContain("\"before\":\"checkout-v2 on at 50 %\"");
        _s.Undo.CallCount.ShouldBe(0);
    }

    [Fact]
    public async Task RestartInTheHoldOfTwentyFivePercent_WaitsTheRestOfThatHold_ThenGoesToTen_NotBackToFifty()
    {
        _s.Signals.Then(FakeTargetSignals.ErrorRate(0.05), FakeTargetSignals.ErrorRate(0.01));
        var first = _s.Executor();
        var (incidentId, runId) = await _s.PlanRunAsync(first);
        using (var crash = new CancellationTokenSource())
        {
            var execution = first.ExecuteRunAsync(runId, crash.Token);
            await Eventually.HoldsAsync(() => _s.Clock.TimersDueAfter(Hold) >= 1, "the hold at 25 % has begun");
            _s.Clock.Advance(TimeSpan.FromSeconds(40));

            // The process dies 40 s into the 2m hold at 25 %.
            await crash.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(() => execution);
        }

        var restarted = _s.Executor();
        await restarted.RecoverAsync(CancellationToken.None);
        var resumed = restarted.ExecuteRunAsync(runId, CancellationToken.None);
        await _s.AdvanceAsync(TimeSpan.FromSeconds(80), 1);
        await _s.AdvanceAsync(Hold, 2);

        await resumed.WaitAsync(TimeSpan.FromSeconds(10));
        _s.Flags.Changes.ShouldBe(["rollout 25", "rollout 10"]);
        _s.Signals.Asked.Select(a => a.NotBefore).ShouldBe([T0 + Hold, T0 + (2 * Hold)]);
        (await _s.TimelineAsync(incidentId, IncidentEventKind.StepProgress)).ShouldContain("resumed after a restart in the hold at 25 %: 1m20s of its 2m left");
        (await _s.TimelineAsync(incidentId, IncidentEventKind.StateSaved)).Count.ShouldBe(1);
        var run = await _s.Store.GetRunAsync(runId, CancellationToken.None);
        run!.Reason.ShouldEndWith("pausing rollback at 10 %: error_rate <= 0.02 holds (error_rate 0.01)");
        (await _s.Store.GetIncidentAsync(incidentId, CancellationToken.None))!.BeforeState.ShouldBe("checkout-v2 on at 50 %");
    }

    [Fact]
    public async Task RestartWhileSettingTenPercent_SetsItAgain_AndHoldsItsWholeHold()
    {
        _s.Signals.Then(FakeTargetSignals.ErrorRate(0.05), FakeTargetSignals.ErrorRate(0.01));
        _s.Flags.Hangs = "rollout 10";
        var first = _s.Executor();
        var (incidentId, runId) = await _s.PlanRunAsync(first);
        using (var crash = new CancellationTokenSource())
        {
            var execution = first.ExecuteRunAsync(runId, crash.Token);
            await _s.AdvanceAsync(Hold, 1);
            await Eventually.HoldsAsync(() => _s.Signals.Asked.Count == 1, "the check at 25 % was made");

            // The process dies while the provider is being asked for 10 %.
            await crash.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(() => execution);
        }

        _s.Flags.Hangs = null;
        var restarted = _s.Executor();
        await restarted.RecoverAsync(CancellationToken.None);
        var resumed = restarted.ExecuteRunAsync(runId, CancellationToken.None);
        await _s.AdvanceAsync(Hold, 2);

        await resumed.WaitAsync(TimeSpan.FromSeconds(10));
        _s.Flags.Changes.ShouldBe(["rollout 25", "rollout 10"]);
        _s.Signals.Asked.Select(a => a.NotBefore).ShouldBe([T0 + Hold, T0 + (2 * Hold)]);
        var progress = await _s.TimelineAsync(incidentId, IncidentEventKind.StepProgress);
        progress.ShouldContain("Reducing checkout-v2: 25 % → 10 % (step 2 of 4)");
        progress.ShouldNotContain(line => line.StartsWith("resumed", StringComparison.Ordinal));
        (await _s.Store.GetRunAsync(runId, CancellationToken.None))!.Reason.ShouldEndWith("pausing rollback at 10 %: error_rate <= 0.02 holds (error_rate 0.01)");
    }

    [Theory]
    [InlineData("steps", "50,25,110", "steps: '110' is not a percentage from 0 to 100")]
    [InlineData("steps", "50,-5", "steps: '-5' is not a percentage from 0 to 100")]
    [InlineData("steps", "25,50,0", "steps: must go strictly down (25 then 50): a reduction never raises a flag")]
    [InlineData("steps", "50,50", "steps: must go strictly down (50 then 50): a reduction never raises a flag")]
    [InlineData("hold", "2x", "hold: '2x' is not a duration above zero")]
    [InlineData("hold", "0s", "hold: '0s' is not a duration above zero")]
    [InlineData("until", "error rate high", "until: cannot read 'error rate high': expected '<signal> <op> <number>' with op one of > >= < <= == !=, or the name of a condition")]
    [InlineData("until", "error_rate <= lots", "until: 'lots' in 'error_rate <= lots' is not a number")]
    [InlineData("until", "recovered", "until: 'recovered' is a condition's name; write the comparison itself ('error_rate <= 0.02'): a step has no policy to look the name up in")]
    [InlineData("disable_at_zero", "yes", "disable_at_zero: 'yes' is not true or false")]
    [InlineData("percent", "10", "percent: unknown parameter (flag, provider, project, environment, steps, hold, until, disable_at_zero)")]
    public void Validate_ABadParameter_IsNamedWithWhy(string key, string value, string error) =>
        FlagReduceAction.ValidateParameters(new Dictionary<string, string> { ["flag"] = "checkout-v2", [key] = value }).ShouldBe([error]);

    [Fact]
    public void Validate_TheRunbooksStepsHoldAndCondition_AreValid_AndAFlagIsRequired()
    {
        FlagReduceAction.ValidateParameters(new Dictionary<string, string>
        {
            ["flag"] = "checkout-v2", ["provider"] = "unleash", ["project"] = "default", ["environment"] = "production",
            ["steps"] = "50, 25, 10, 5, 0", ["hold"] = "2m", ["until"] = "error_rate <= 0.02", ["disable_at_zero"] = "false",
        }).ShouldBeEmpty();
        FlagReduceAction.ValidateParameters(new Dictionary<string, string>()).ShouldBe(["flag: required, the flag's name"]);
    }
}
