using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Actions;

public sealed class ActionExecutorTests
{
    private readonly ExecutorScenario _s = new();
    private readonly RecordingAction _flag = new("flag-reduce", idempotent: true, (_, _) => Task.FromResult(ActionResult.Success("checkout-v2 50% -> 0%") with { Before = "flag checkout-v2 at 50%", After = "flag checkout-v2 at 0%" }));
    private readonly RecordingAction _undo = new("deployment-undo", behaviour: (_, _) => Task.FromResult(ActionResult.Success("revision 5 -> 4") with { Before = "deployment/checkout revision 5", After = "deployment/checkout revision 4", RolledBackFrom = new RevisionRef("deployment/production/checkout", "5") }));

    [Fact]
    public async Task AutomaticDecision_RunsThePlanStepByStep_AndJournalsEveryStep()
    {
        var executor = _s.Executor(_flag, _undo);
        var incident = await _s.OpenIncidentAsync();

        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        (await _s.DrainReadyAsync()).ShouldBe([run!.Id]);
        _s.Time.Advance(TimeSpan.FromSeconds(2));
        await executor.ExecuteRunAsync(run.Id, CancellationToken.None);

        var stored = await _s.Store.GetRunAsync(run.Id, CancellationToken.None);
        stored!.Status.ShouldBe(ActionRunStatus.Succeeded);
        stored.StartedAt.ShouldBe(ExecutorScenario.T0.AddSeconds(2));
        var steps = await _s.Store.GetStepsAsync(run.Id, CancellationToken.None);
        steps.Select(s => (s.Action, s.Status, s.Attempts)).ShouldBe([("flag-reduce", StepStatus.Succeeded, 1), ("deployment-undo", StepStatus.Succeeded, 1)]);
        _flag.Calls.Single().Parameters["flag"].ShouldBe("checkout-v2");
        (await _s.TimelineKindsAsync(incident.Id)).ShouldBe(
        [
            IncidentEventKind.ActionPlanned, IncidentEventKind.StepProgress,
            IncidentEventKind.StepStarted, IncidentEventKind.StepSucceeded,
            IncidentEventKind.StepStarted, IncidentEventKind.StepSucceeded,
            IncidentEventKind.ActionCompleted,
        ]);
        (await _s.Store.GetTimelineAsync(incident.Id, CancellationToken.None))
            .Where(e => e.Kind is IncidentEventKind.StepStarted or IncidentEventKind.StepSucceeded)
            .Select(e => e.Summary)
            .ShouldBe(
            [
                "step 1: flag-reduce started", "step 1: flag-reduce succeeded: checkout-v2 50% -> 0%",
                "step 2: deployment-undo started", "step 2: deployment-undo succeeded: revision 5 -> 4",
            ]);
        var after = await _s.Store.GetIncidentAsync(incident.Id, CancellationToken.None);
        after!.ActionStartedAt.ShouldBe(ExecutorScenario.T0.AddSeconds(2));
        after.ActionCompletedAt.ShouldNotBeNull();
        after.BeforeState.ShouldBe("flag checkout-v2 at 50%");
        after.AfterState.ShouldBe("deployment/checkout revision 4");
        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ROLLBACK IN PROGRESS"]);
        (await _s.Store.IsBadRevisionAsync("checkout", "deployment/production/checkout", "5", CancellationToken.None)).ShouldBeTrue();
        (await executor.LastActionAtAsync("checkout", CancellationToken.None)).ShouldBe(ExecutorScenario.T0.AddSeconds(2));
    }

    [Fact]
    public async Task FailingStep_StopsThePlan_AndReportsIssues()
    {
        var failing = new RecordingAction("flag-reduce", behaviour: (_, _) => Task.FromResult(ActionResult.Failure("flag server answered 503")));
        var executor = _s.Executor(failing, _undo);
        var incident = await _s.OpenIncidentAsync();

        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);

        var stored = await _s.Store.GetRunAsync(run.Id, CancellationToken.None);
        stored!.Status.ShouldBe(ActionRunStatus.Failed);
        stored.Reason.ShouldBe("step 1 (flag-reduce) failed: flag server answered 503");
        (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None)).Select(s => s.Status).ShouldBe([StepStatus.Failed, StepStatus.NotRun]);
        _undo.CallCount.ShouldBe(0);
        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ROLLBACK IN PROGRESS", "ROLLBACK ISSUES DETECTED"]);
    }

    [Fact]
    public async Task StepThatFindsTheTargetRecovered_EndsThePlanAsASuccess_AndSaysWhichStepsWereNotRun()
    {
        var pausing = new RecordingAction("flag-reduce", idempotent: true, (_, _) => Task.FromResult(ActionResult.Recovered("pausing rollback at 10 %") with { Before = "checkout-v2 on at 50 %", After = "checkout-v2 on at 10 %" }));
        var executor = _s.Executor(pausing, _undo);
        var incident = await _s.OpenIncidentAsync();

        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);

        var stored = await _s.Store.GetRunAsync(run.Id, CancellationToken.None);
        stored!.Status.ShouldBe(ActionRunStatus.Succeeded);
        stored.Reason.ShouldBe("step 1 (flag-reduce) found the target recovered: pausing rollback at 10 %");
        var steps = await _s.Store.GetStepsAsync(run.Id, CancellationToken.None);
        steps.Select(s => s.Status).ShouldBe([StepStatus.Succeeded, StepStatus.NotRun]);
        steps[1].Error.ShouldBe("not run: step 1 (flag-reduce) found the target recovered: pausing rollback at 10 %");
        _undo.CallCount.ShouldBe(0);
        (await _s.Store.GetTimelineAsync(incident.Id, CancellationToken.None))[^1].Summary.ShouldBe(
            $"rollback completed (run {run.Id}): step 1 (flag-reduce) found the target recovered: pausing rollback at 10 %; not run: step 2 (deployment-undo); watching for recovery");
        (await _s.Store.GetIncidentAsync(incident.Id, CancellationToken.None))!.AfterState.ShouldBe("checkout-v2 on at 10 %");
        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ROLLBACK IN PROGRESS"]);
    }

    [Fact]
    public async Task ThrowingPlugin_IsAFailedStep_NotADeadExecutor()
    {
        var throwing = new RecordingAction("flag-reduce", behaviour: (_, _) => throw new InvalidOperationException("bug in plug-in"));
        var executor = _s.Executor(throwing, _undo);
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);

        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);

        var step = (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None))[0];
        step.Status.ShouldBe(StepStatus.Failed);
        step.Error.ShouldBe("flag-reduce threw InvalidOperationException: bug in plug-in");
    }

    [Fact]
    public async Task UnknownActionName_FailsItsStepWithAClearMessage()
    {
        var executor = _s.Executor(_undo);
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);

        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);

        (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None))[0].Error.ShouldBe("no action plug-in named 'flag-reduce' is registered");
    }

    [Fact]
    public async Task DecisionNeedingApproval_WaitsAndRunsOnlyOnceApproved()
    {
        var executor = _s.Executor(_flag, _undo);
        var incident = await _s.OpenIncidentAsync(authority: Authority.OnCall);

        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(authority: Authority.OnCall), CancellationToken.None);

        run!.Status.ShouldBe(ActionRunStatus.AwaitingApproval);
        (await _s.DrainReadyAsync()).ShouldBeEmpty();
        var approval = (await _s.Store.ListApprovalsAsync(ApprovalStatus.Pending, CancellationToken.None)).Single();
        approval.Required.ShouldBe(Authority.OnCall);
        approval.RunId.ShouldBe(run.Id);

        await executor.OnApprovedAsync(approval with { Status = ApprovalStatus.Approved, DecidedBy = "alice" }, CancellationToken.None);

        (await _s.DrainReadyAsync()).ShouldBe([run.Id]);
        await executor.ExecuteRunAsync(run.Id, CancellationToken.None);
        (await _s.Store.GetRunAsync(run.Id, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Succeeded);
    }

    [Fact]
    public async Task RejectedApproval_StopsThePlan_NothingRuns()
    {
        var executor = _s.Executor(_flag, _undo);
        var incident = await _s.OpenIncidentAsync(authority: Authority.TeamLead);
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(authority: Authority.TeamLead), CancellationToken.None);
        var approval = (await _s.Store.ListApprovalsAsync(ApprovalStatus.Pending, CancellationToken.None)).Single();

        await executor.OnRejectedAsync(approval with { Status = ApprovalStatus.Rejected, DecidedBy = "bob", Comment = "false alarm" }, CancellationToken.None);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);

        var stored = await _s.Store.GetRunAsync(run.Id, CancellationToken.None);
        stored!.Status.ShouldBe(ActionRunStatus.Rejected);
        stored.Reason.ShouldBe("rejected by bob: false alarm");
        (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None)).ShouldAllBe(s => s.Status == StepStatus.NotRun);
        (_flag.CallCount + _undo.CallCount).ShouldBe(0);
    }

    [Fact]
    public async Task DryRun_RecordsAndNotifiesOnce_ChangesNothing()
    {
        _s.Target = _s.Target with { DryRun = true };
        var executor = _s.Executor(_flag, _undo);
        var incident = await _s.OpenIncidentAsync();

        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        var again = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);

        run!.Status.ShouldBe(ActionRunStatus.DryRun);
        run.Reason.ShouldBe("dry run: would run flag-reduce, deployment-undo");
        again.ShouldBeNull();
        (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None)).ShouldAllBe(s => s.Status == StepStatus.SkippedDryRun);
        (await _s.DrainReadyAsync()).ShouldBeEmpty();
        (_flag.CallCount + _undo.CallCount).ShouldBe(0);
        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ACTION SKIPPED"]);
    }

    [Fact]
    public async Task Cooldown_HoldsBackANewRunOnTheSameTarget_AndSaysSoOnce()
    {
        // A plan that ran to the end is not run again in its incident (see below), so the rail shows across
        // incidents: the target's next incident, five minutes after the first action.
        var executor = _s.Executor(_flag, _undo);
        var first = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(first, _s.Target, _s.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);

        _s.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await _s.NextIncidentAsync();
        var held = await executor.ProposeAsync(second, _s.Target, _s.Decide(), CancellationToken.None);
        var heldAgain = await executor.ProposeAsync(second, _s.Target, _s.Decide(), CancellationToken.None);
        _s.Time.Advance(TimeSpan.FromMinutes(5));
        var allowed = await executor.ProposeAsync(second, _s.Target, _s.Decide(), CancellationToken.None);

        held!.Status.ShouldBe(ActionRunStatus.Skipped);
        held.Reason.ShouldBe("cooldown: the last action on checkout was at 12:00:00 UTC; the next may run from 12:10:00 UTC");
        heldAgain.ShouldBeNull();
        allowed!.Status.ShouldBe(ActionRunStatus.Running);
    }

    [Fact]
    public async Task Cooldown_IsSaidOncePerIncident_EvenWhenItHoldsAgainAfterAFailedRun()
    {
        // A failed run may be tried again after the cooldown; the cooldown that then holds once more is not paged again.
        var failing = new RecordingAction("flag-reduce", behaviour: (_, _) => Task.FromResult(ActionResult.Failure("flag service down")));
        var executor = _s.Executor(failing, _undo);
        var incident = await _s.OpenIncidentAsync();
        var first = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(first!.Id, CancellationToken.None);

        _s.Time.Advance(TimeSpan.FromMinutes(1));
        var held = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        _s.Time.Advance(TimeSpan.FromMinutes(10));
        var retried = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(retried!.Id, CancellationToken.None);
        _s.Time.Advance(TimeSpan.FromMinutes(1));
        var heldAgain = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);

        held!.Reason.ShouldStartWith("cooldown:");
        (await _s.Store.GetRunAsync(retried.Id, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Failed);
        heldAgain.ShouldBeNull();
        _s.Outbox.Queued.Count(q => q.Message.Title == "ACTION SKIPPED").ShouldBe(1);
    }

    [Fact]
    public async Task APlanThatRanToTheEnd_IsNotRunAgainInItsIncident_AndThatIsRecordedOnceWithoutAPage()
    {
        _s.Target = _s.Target with { Cooldown = TimeSpan.Zero };
        var executor = _s.Executor(_flag, _undo);
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);
        var pagesBefore = _s.Outbox.Queued.Count;

        _s.Time.Advance(TimeSpan.FromMinutes(20));
        var again = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        var andAgain = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        var pagesAfter = _s.Outbox.Queued.Count;
        var nextIncident = await executor.ProposeAsync(await _s.NextIncidentAsync(), _s.Target, _s.Decide(), CancellationToken.None);

        again!.Status.ShouldBe(ActionRunStatus.Skipped);
        again.Reason.ShouldBe($"not repeated: rollback already ran to the end in this incident (run {run.Id}) and checkout did not recover; not run again automatically");
        andAgain.ShouldBeNull();
        pagesAfter.ShouldBe(pagesBefore);
        pagesBefore.ShouldBeGreaterThan(0);
        nextIncident!.Status.ShouldBe(ActionRunStatus.Running);
        (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None)).ShouldAllBe(step => step.Status == StepStatus.Succeeded);
    }

    [Fact]
    public async Task Budget_OfThreeRunsPerHour_HoldsBackTheFourth()
    {
        _s.Target = _s.Target with { Cooldown = TimeSpan.Zero };
        var executor = _s.Executor(_flag, _undo);
        for (var i = 0; i < 3; i++)
        {
            var run = await executor.ProposeAsync(await _s.NextIncidentAsync(), _s.Target, _s.Decide(), CancellationToken.None);
            await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);
            _s.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var incident = await _s.NextIncidentAsync();
        var fourth = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);

        fourth!.Status.ShouldBe(ActionRunStatus.Skipped);
        fourth.Reason.ShouldBe("budget: 3 actions on checkout in the last hour (at most 3)");
        _s.Time.Advance(TimeSpan.FromMinutes(58));
        (await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Running);
    }

    [Fact]
    public async Task ActiveRun_IsNotDuplicatedByLaterDecisions()
    {
        var executor = _s.Executor(_flag, _undo);
        var incident = await _s.OpenIncidentAsync();

        var first = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        var second = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);

        first.ShouldNotBeNull();
        second.ShouldBeNull();
        (await _s.Store.ListRunsAsync(new RunQuery(Target: "checkout"), CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task NoPlanForTheAction_IsRecordedOnceAsSkipped()
    {
        var executor = _s.Executor(_flag, _undo);
        var incident = await _s.OpenIncidentAsync(DecisionAction.Scale, Authority.OnCall);

        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(DecisionAction.Scale, Authority.OnCall), CancellationToken.None);
        var again = await executor.ProposeAsync(incident, _s.Target, _s.Decide(DecisionAction.Scale, Authority.OnCall), CancellationToken.None);

        run!.Status.ShouldBe(ActionRunStatus.Skipped);
        run.Reason.ShouldBe("no plan: target checkout has no steps for 'scale'");
        again.ShouldBeNull();
    }

    [Fact]
    public async Task NoneOrInconclusive_ProposesNothing()
    {
        var executor = _s.Executor(_flag, _undo);
        var incident = await _s.OpenIncidentAsync();

        (await executor.ProposeAsync(incident, _s.Target, _s.Decide(DecisionAction.None), CancellationToken.None)).ShouldBeNull();
        (await executor.ProposeAsync(incident, _s.Target, _s.Decide() with { IsInconclusive = true }, CancellationToken.None)).ShouldBeNull();
    }
}
