using Watchdog.Actions.Flags;
using Watchdog.Flags;
using Watchdog.Records;

namespace Watchdog.Tests.Actions.Flags;

public sealed class FlagDisableActionTests
{
    [Fact]
    public async Task Disable_AFlagOnAtFifty_SetsItsRolloutToZero_TurnsItOff_AndThePlanGoesOn()
    {
        var s = new FlagStepScenario("flag-disable", new() { ["project"] = "default", ["environment"] = "production" });
        var executor = s.Executor();
        var (incidentId, runId) = await s.PlanRunAsync(executor);

        await executor.ExecuteRunAsync(runId, CancellationToken.None);

        s.Flags.Changes.ShouldBe(["rollout 0", "enabled False"]);
        s.Flags.Flags.ShouldAllBe(f => f == new FlagRef("checkout-v2", "default", "production"));
        (await s.Store.GetRunAsync(runId, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Succeeded);
        s.Undo.CallCount.ShouldBe(1);
        (await s.TimelineAsync(incidentId, IncidentEventKind.StepSucceeded))[0].ShouldBe("step 1: flag-disable succeeded: checkout-v2 disabled in production (was checkout-v2 on at 50 %)");
        (await s.TimelineAsync(incidentId, IncidentEventKind.StepProgress)).ShouldContain("checkout-v2 read back from unleash: checkout-v2 off in production");
        var saved = (await s.Store.GetTimelineAsync(incidentId, CancellationToken.None)).Single(e => e.Kind == IncidentEventKind.StateSaved);
        saved.Detail.ShouldNotBeNull().ShouldContain("\"rolloutPercent\":50");
        (await s.Store.GetIncidentAsync(incidentId, CancellationToken.None))!.BeforeState.ShouldBe("checkout-v2 on at 50 %");
    }

    [Fact]
    public async Task Disable_WhenTheProviderStillReadsItOn_FailsSayingWhatItReadBack()
    {
        var s = new FlagStepScenario("flag-disable", []);
        s.Flags.IgnoresDisable = true;
        var executor = s.Executor();
        var (_, runId) = await s.PlanRunAsync(executor);

        await executor.ExecuteRunAsync(runId, CancellationToken.None);

        var run = await s.Store.GetRunAsync(runId, CancellationToken.None);
        run!.Status.ShouldBe(ActionRunStatus.Failed);
        run.Reason.ShouldBe("step 1 (flag-disable) failed: checkout-v2 is not off after disabling it: unleash reads back checkout-v2 on at 0 %");
        s.Undo.CallCount.ShouldBe(0);
    }

    [Fact]
    public async Task Disable_WhenTheProviderRefuses_IsAClearStepFailure()
    {
        var s = new FlagStepScenario("flag-disable", []);
        s.Flags.Fails = operation => operation == "read" ? new FlagProviderException("unleash answered 401 Unauthorized: check the admin token") : null;
        var executor = s.Executor();
        var (_, runId) = await s.PlanRunAsync(executor);

        await executor.ExecuteRunAsync(runId, CancellationToken.None);

        (await s.Store.GetRunAsync(runId, CancellationToken.None))!.Reason.ShouldBe("step 1 (flag-disable) failed: flag checkout-v2: unleash answered 401 Unauthorized: check the admin token");
        s.Flags.Changes.ShouldBeEmpty();
    }

    [Fact]
    public async Task Disable_NamingAProviderThatIsNotConfigured_FailsSayingSo()
    {
        var s = new FlagStepScenario("flag-disable", new() { ["provider"] = "http" });
        var executor = s.Executor();
        var (_, runId) = await s.PlanRunAsync(executor);

        await executor.ExecuteRunAsync(runId, CancellationToken.None);

        (await s.Store.GetRunAsync(runId, CancellationToken.None))!.Reason.ShouldBe("step 1 (flag-disable) failed: no flag provider named 'http' is configured");
    }

    [Fact]
    public void Validate_NeedsAFlag_RefusesBlankOptionalOnes_AndUnknownParameters()
    {
        FlagDisableAction.ValidateParameters(new Dictionary<string, string> { ["flag"] = "checkout-v2", ["environment"] = "production" }).ShouldBeEmpty();
        FlagDisableAction.ValidateParameters(new Dictionary<string, string> { ["provider"] = " ", ["steps"] = "50" }).ShouldBe(
        [
            "flag: required, the flag's name",
            "provider: empty (leave it out for the default)",
            "steps: unknown parameter (flag, provider, project, environment)",
        ]);
    }

    [Fact]
    public void NoProviderRegistered_FindsNone_SoAFlagStepFailsRatherThanTheDaemon() =>
        new NoFlagProviders().Find(null).ShouldBeNull();
}
