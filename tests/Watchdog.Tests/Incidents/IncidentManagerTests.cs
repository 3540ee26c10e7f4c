using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Actions;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Incidents;

public sealed class IncidentManagerTests
{
    private static readonly CompiledPolicy Policy = PolicyText.Compile("""
        name: simple
        matrix:
          - {id: errors-high, when: "error_rate > 0.1", action: rollback, authority: automatic}
          - {id: slow, when: "latency > 2", action: investigate, authority: on-call}
        """);

    private readonly ExecutorScenario _s = new();
    private readonly PolicyState _state = Policy.CreateState();
    private readonly RecordingAction _flag = new("flag-reduce");
    private readonly RecordingAction _undo = new("deployment-undo", behaviour: (_, _) =>
        Task.FromResult(ActionResult.Success("rolled back") with { After = "checkout:v1 (revision 4, was 1)" }));
    private readonly IncidentManager _manager;
    private readonly ExecutorParts _executor;

    public IncidentManagerTests()
    {
        _executor = _s.Executor(_flag, _undo);
        _manager = new IncidentManager(_s.Store, _executor.Planner, _s.Outbox, _s.Time, NullLogger<IncidentManager>.Instance);
    }

    private async Task<Decision> TickAsync(double errorRate, double latency = 0.1)
    {
        var frame = Policy.CreateFrame();
        frame[Policy.IndexOf("error_rate")] = SignalValue.Of(errorRate);
        frame[Policy.IndexOf("latency")] = SignalValue.Of(latency);
        var decision = Policy.Evaluate(frame, _s.Time.GetUtcNow(), _state);
        await _manager.OnDecisionAsync(_s.Target, Policy, _state, decision, CancellationToken.None);
        return decision;
    }

    private async Task<Decision> TickNoDataAsync()
    {
        var decision = Policy.Evaluate(Policy.CreateFrame(), _s.Time.GetUtcNow(), _state);
        await _manager.OnDecisionAsync(_s.Target, Policy, _state, decision, CancellationToken.None);
        return decision;
    }

    [Fact]
    public async Task FirstActionableDecision_OpensOneIncident_WithTheRuleAndItsValues()
    {
        await TickAsync(0.01);
        await TickAsync(0.5);
        _s.Time.Advance(TimeSpan.FromSeconds(15));
        await TickAsync(0.6);

        var incidents = await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None);
        var incident = incidents.ShouldHaveSingleItem();
        incident.Status.ShouldBe(IncidentStatus.Open);
        incident.TriggerRule.ShouldBe("errors-high");
        incident.TriggerSummary.ShouldBe("rollback (automatic) by matrix row errors-high: error_rate > 0.1 [0.5: true]");
        incident.Environment.ShouldBe("production");
        incident.DetectedAt.ShouldBe(ExecutorScenario.T0);
        (await _s.TimelineKindsAsync(incident.Id))[0].ShouldBe(IncidentEventKind.Detected);
        (await _s.Store.ListDecisionsAsync("checkout", null, 10, CancellationToken.None)).Select(d => d.Action).ShouldBe([DecisionAction.Rollback, DecisionAction.None]);
        (await _s.DrainReadyAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task NoneAndInconclusiveDecisions_OpenNoIncident()
    {
        await TickAsync(0.01);
        await TickNoDataAsync();

        (await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).ShouldBeEmpty();
        var decisions = await _s.Store.ListDecisionsAsync("checkout", null, 10, CancellationToken.None);
        decisions.Select(d => d.Inconclusive).ShouldBe([true, false]);
        decisions[0].Summary.ShouldStartWith("inconclusive, no action");
    }

    [Fact]
    public async Task ChangedDecision_OnAnOpenIncident_IsAddedToItsTimeline()
    {
        _s.Target = _s.Target with { DryRun = true };
        await TickAsync(0.5);
        _s.Time.Advance(TimeSpan.FromSeconds(15));
        await TickAsync(0.01, latency: 3);

        var incident = (await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Single();
        var timeline = await _s.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        timeline.Where(e => e.Kind == IncidentEventKind.Decision).Select(e => e.Summary)
            .ShouldBe(["decision: investigate (on-call) by matrix row slow: latency > 2 [3: true]"]);
    }

    [Fact]
    public async Task RuleWithAForWindow_OpensTheIncidentWhenSatisfied_WithTheBreachAtTheStartOfTheWindow()
    {
        var policy = PolicyText.Compile("""
            name: windowed
            matrix:
              - {id: errors-high, when: "error_rate > 0.1", for: 30s, action: rollback, authority: automatic}
            """);
        var state = policy.CreateState();
        var frame = policy.CreateFrame();
        frame[policy.IndexOf("error_rate")] = SignalValue.Of(0.5);
        var breach = _s.Time.GetUtcNow();
        for (var tick = 0; tick < 3; tick++)
        {
            var decision = policy.Evaluate(frame, _s.Time.GetUtcNow(), state);
            await _manager.OnDecisionAsync(_s.Target, policy, state, decision, CancellationToken.None);
            _s.Time.Advance(TimeSpan.FromSeconds(15));
        }

        var incident = (await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).ShouldHaveSingleItem();
        incident.DetectedAt.ShouldBe(breach.AddSeconds(30));
        incident.BreachStartedAt.ShouldBe(breach);
    }

    [Fact]
    public async Task AfterTheAction_HealthyForTheRecoveryWindow_ClosesTheIncidentAsRecovered()
    {
        await TickAsync(0.5);
        var runId = (await _s.DrainReadyAsync()).Single();
        _s.Time.Advance(TimeSpan.FromSeconds(10));
        await _executor.ExecuteRunAsync(runId, CancellationToken.None);

        _s.Time.Advance(TimeSpan.FromSeconds(5));
        await TickAsync(0.01);
        _s.Time.Advance(TimeSpan.FromMinutes(4).Add(TimeSpan.FromSeconds(59)));
        await TickAsync(0.01);
        (await _s.Store.GetOpenIncidentAsync("checkout", CancellationToken.None)).ShouldNotBeNull();

        _s.Time.Advance(TimeSpan.FromSeconds(1));
        await TickAsync(0.01);

        var incident = (await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Single();
        incident.Status.ShouldBe(IncidentStatus.Closed);
        incident.CloseReason.ShouldBe("recovered");
        incident.VerifiedHealthyAt.ShouldBe(ExecutorScenario.T0.AddMinutes(5).AddSeconds(15));
        incident.DetectionToAction.ShouldBe(TimeSpan.FromSeconds(10));
        incident.ActionToRecovery.ShouldBe(TimeSpan.FromMinutes(5).Add(TimeSpan.FromSeconds(5)));
        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ROLLBACK IN PROGRESS", "ROLLBACK COMPLETE"]);
        _s.Outbox.Queued.Last().Message.Fields.ShouldContain(new KeyValuePair<string, string>("Current Version", "checkout:v1 (revision 4, was 1)"));
        (await _s.TimelineKindsAsync(incident.Id)).TakeLast(2).ShouldBe([IncidentEventKind.VerifiedHealthy, IncidentEventKind.Closed]);
        (await _s.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.Kind == IncidentEventKind.VerifiedHealthy).Summary
            .ShouldBe("healthy for 5m00s since 12:00:15 UTC"); // the time of day a person reads, not an ISO timestamp
    }

    [Fact]
    public async Task AfterTheAction_TheRuleThatHeldFalseForTheWindow_ClosesAsRecovered_WhileAnotherSignalIsUnknown()
    {
        await TickAsync(0.5);
        var runId = (await _s.DrainReadyAsync()).Single();
        await _executor.ExecuteRunAsync(runId, CancellationToken.None);

        _s.Time.Advance(TimeSpan.FromSeconds(5));
        (await TickWithoutLatencyAsync(0.01)).IsInconclusive.ShouldBeTrue();
        _s.Time.Advance(TimeSpan.FromMinutes(4).Add(TimeSpan.FromSeconds(59)));
        await TickWithoutLatencyAsync(0.01);
        (await _s.Store.GetOpenIncidentAsync("checkout", CancellationToken.None)).ShouldNotBeNull();

        _s.Time.Advance(TimeSpan.FromSeconds(1));
        await TickWithoutLatencyAsync(0.01);

        var incident = (await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Single();
        incident.Status.ShouldBe(IncidentStatus.Closed);
        incident.CloseReason.ShouldBe("recovered");
        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ROLLBACK IN PROGRESS", "ROLLBACK COMPLETE"]);
        (await _s.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.Kind == IncidentEventKind.VerifiedHealthy).Summary
            .ShouldEndWith("; still unknown, not holding it open: latency");
    }

    private async Task<Decision> TickWithoutLatencyAsync(double errorRate)
    {
        var frame = Policy.CreateFrame();
        frame[Policy.IndexOf("error_rate")] = SignalValue.Of(errorRate);
        frame[Policy.IndexOf("latency")] = SignalValue.Error("connection refused");
        var decision = Policy.Evaluate(frame, _s.Time.GetUtcNow(), _state);
        await _manager.OnDecisionAsync(_s.Target, Policy, _state, decision, CancellationToken.None);
        return decision;
    }

    [Fact]
    public async Task ActionThatDoesNotHelp_IsReportedOnceAfterTheVerifyWindow()
    {
        await TickAsync(0.5);
        var runId = (await _s.DrainReadyAsync()).Single();
        await _executor.ExecuteRunAsync(runId, CancellationToken.None);

        _s.Time.Advance(TimeSpan.FromMinutes(4));
        await TickAsync(0.5);
        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ROLLBACK IN PROGRESS"]); // the plan ran: not again, and no skip paged

        _s.Time.Advance(TimeSpan.FromMinutes(1));
        await TickAsync(0.5);
        _s.Time.Advance(TimeSpan.FromSeconds(15));
        await TickNoDataAsync();

        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ROLLBACK IN PROGRESS", "ROLLBACK ISSUES DETECTED"]);
        var incident = (await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Single();
        (await _s.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Where(e => e.Kind == IncidentEventKind.NotRecovered).Select(e => e.Summary)
            .ShouldBe(["checkout is still not healthy 5m00s after the action completed"]);
    }

    [Fact]
    public async Task HealthyOnlyAfterTheIssuesReport_ClosesAsRecovered_WithoutNamingTheVersionTheActionLeft()
    {
        await TickAsync(0.5);
        await _executor.ExecuteRunAsync((await _s.DrainReadyAsync()).Single(), CancellationToken.None);
        _s.Time.Advance(TimeSpan.FromMinutes(5));
        await TickAsync(0.5);

        // Someone fixes it by hand (the action had landed on a release just as bad): healthy for the recovery window.
        _s.Time.Advance(TimeSpan.FromSeconds(30));
        await TickAsync(0.01);
        _s.Time.Advance(TimeSpan.FromMinutes(5));
        await TickAsync(0.01);

        (await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Single().CloseReason.ShouldBe("recovered");
        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ROLLBACK IN PROGRESS", "ROLLBACK ISSUES DETECTED", "ROLLBACK COMPLETE"]);
        _s.Outbox.Queued.ElementAt(1).Message.Fields.ShouldContain(new KeyValuePair<string, string>("Current Version", "checkout:v1 (revision 4, was 1)"));
        _s.Outbox.Queued.Last().Message.Fields.ShouldNotContain(f => f.Key == "Current Version");
    }

    [Fact]
    public async Task AfterASuccessfulAction_ALaggingMetric_ProposesAndPagesNothingWhileTheTargetSettles()
    {
        await TickAsync(0.5);
        var runId = (await _s.DrainReadyAsync()).Single();
        await _executor.ExecuteRunAsync(runId, CancellationToken.None);

        // The rate still counts the bad release's errors for a while: settling lasts 2 x 15s (the policy has no for).
        foreach (var _ in Enumerable.Range(0, 2))
        {
            _s.Time.Advance(TimeSpan.FromSeconds(14));
            await TickAsync(0.5);
        }

        _s.Time.Advance(TimeSpan.FromSeconds(3));
        await TickAsync(0.01);
        _s.Time.Advance(TimeSpan.FromMinutes(5));
        await TickAsync(0.01);

        _s.Outbox.Queued.Select(q => q.Message.Title).ShouldBe(["ROLLBACK IN PROGRESS", "ROLLBACK COMPLETE"]);
        (await _s.Store.ListRunsAsync(new RunQuery(Target: "checkout"), CancellationToken.None)).Select(r => r.Status).ShouldBe([ActionRunStatus.Succeeded]);
        var incident = (await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Single();
        incident.CloseReason.ShouldBe("recovered");
        (await _s.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Where(e => e.Kind == IncidentEventKind.Settling).Select(e => e.Summary)
            .ShouldBe(["settling until 12:00:30 UTC (2 x interval 15s): errors-high still holds, nothing proposed while the metrics catch up"]);
    }

    [Fact]
    public async Task ARuleStillHoldingAfterTheTargetSettled_IsReportedOnce_AndThenOnlyToEachLaterEscalationLevel()
    {
        await TickAsync(0.5);
        await _executor.ExecuteRunAsync((await _s.DrainReadyAsync()).Single(), CancellationToken.None);

        // Every 30 s for 50 minutes the error rate stays high.
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromMinutes(50); waited += TimeSpan.FromSeconds(30))
        {
            _s.Time.Advance(TimeSpan.FromSeconds(30));
            await TickAsync(0.5);
        }

        var issues = _s.Outbox.Queued.Where(q => q.Message.Title == "ROLLBACK ISSUES DETECTED").Select(q => q.EventKey).ToList();
        issues.Count.ShouldBe(3);
        issues.Select(key => _s.Outbox.Audiences[key]).ShouldBe([null, ["senior-engineer", "engineering-manager"], ["cto"]]);
        _s.Outbox.Queued.Select(q => q.Message.Title).Distinct().ShouldBe(["ROLLBACK IN PROGRESS", "ROLLBACK ISSUES DETECTED"]);
        (await _s.Store.ListRunsAsync(new RunQuery(Target: "checkout"), CancellationToken.None)).Count(r => r.Status == ActionRunStatus.Succeeded).ShouldBe(1);
    }

    [Fact]
    public void TheSettlingWindow_IsTheLongestForPlusTwoIntervals()
    {
        var policy = PolicyText.Compile("""
            name: windows
            matrix:
              - {id: a, when: {signal: error_rate, op: ">", threshold: 0.1, for: 2m}, action: rollback, authority: automatic}
              - {id: b, when: {signal: latency, op: ">", threshold: 2, for: 30s}, action: investigate, authority: on-call}
            """);

        Settling.Window(_s.Target, policy).ShouldBe(TimeSpan.FromMinutes(2.5));
        Settling.Window(_s.Target, Policy).ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ABadSpellInsideTheRecoveryWindow_RestartsIt()
    {
        _s.Target = _s.Target with { DryRun = true };
        await TickAsync(0.5);
        _s.Time.Advance(TimeSpan.FromMinutes(3));
        await TickAsync(0.01);
        _s.Time.Advance(TimeSpan.FromMinutes(1));
        await TickNoDataAsync();
        _s.Time.Advance(TimeSpan.FromMinutes(1));
        await TickAsync(0.01);
        _s.Time.Advance(TimeSpan.FromMinutes(4));
        await TickAsync(0.01);

        (await _s.Store.GetOpenIncidentAsync("checkout", CancellationToken.None)).ShouldNotBeNull();

        _s.Time.Advance(TimeSpan.FromMinutes(1));
        await TickAsync(0.01);
        (await _s.Store.GetOpenIncidentAsync("checkout", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task RecoveredWhileAwaitingApproval_WithdrawsTheApprovalAndCloses()
    {
        var plans = new Dictionary<DecisionAction, IReadOnlyList<Watchdog.Configuration.PlanStepOptions>>(_s.Target.Plans)
        {
            [DecisionAction.Investigate] = [new Watchdog.Configuration.PlanStepOptions { Action = "flag-reduce" }],
        };
        _s.Target = _s.Target with { Plans = plans };
        await TickAsync(0.01, latency: 3);
        var approval = (await _s.Store.ListApprovalsAsync(ApprovalStatus.Pending, CancellationToken.None)).Single();

        _s.Time.Advance(TimeSpan.FromSeconds(15));
        await TickAsync(0.01);
        _s.Time.Advance(TimeSpan.FromMinutes(5));
        await TickAsync(0.01);

        (await _s.Store.GetApprovalAsync(approval.Id, CancellationToken.None))!.Status.ShouldBe(ApprovalStatus.Rejected);
        (await _s.Store.GetRunAsync(approval.RunId, CancellationToken.None))!.Status.ShouldBe(ActionRunStatus.Rejected);
        (await _s.Store.GetOpenIncidentAsync("checkout", CancellationToken.None)).ShouldBeNull();
        _s.Outbox.Queued.ShouldBeEmpty();
    }

    [Fact]
    public async Task CloseByHand_ClosesOnceAndRecordsWho()
    {
        _s.Target = _s.Target with { DryRun = true };
        await TickAsync(0.5);
        var incident = (await _s.Store.ListIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Single();
        Incident? raised = null;
        _manager.IncidentClosed += (closed, _) => { raised = closed; return Task.CompletedTask; };

        (await _manager.CloseAsync(incident.Id, "alice", "handled by hand", CancellationToken.None)).ShouldBeTrue();
        (await _manager.CloseAsync(incident.Id, "alice", null, CancellationToken.None)).ShouldBeFalse();

        var closed = await _s.Store.GetIncidentAsync(incident.Id, CancellationToken.None);
        closed!.CloseReason.ShouldBe("manual");
        closed.ClosedBy.ShouldBe("alice");
        raised!.Id.ShouldBe(incident.Id);
    }
}
