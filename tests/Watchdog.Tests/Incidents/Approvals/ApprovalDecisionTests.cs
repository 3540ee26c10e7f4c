using Microsoft.Extensions.Logging;
using Watchdog.Incidents;
using Watchdog.Incidents.Approvals;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Tests.Incidents.Approvals;

public sealed class ApprovalDecisionTests
{
    private readonly ApprovalScenario _scenario = new();

    [Theory]
    [InlineData(Authority.TeamLead)]
    [InlineData(Authority.Cto)]
    public async Task Decide_ApproveByARoleEqualToOrAboveTheRequired_ApprovesRecordsWhoAndHandsTheRunToTheExecutor(object roleValue)
    {
        var role = (Authority)roleValue; // internal type: xunit passes it boxed
        var approval = await _scenario.RequestAsync(Authority.TeamLead);
        _scenario.Time.Advance(TimeSpan.FromMinutes(3));

        var decision = await _scenario.Service().DecideAsync(approval.Id, approve: true, new ApiCaller("dana", role), "checked the migration", CancellationToken.None);

        decision.Outcome.ShouldBe(ApprovalDecisionOutcome.Approved);
        var stored = await _scenario.StoredAsync(approval.Id);
        stored.Status.ShouldBe(ApprovalStatus.Approved);
        stored.DecidedBy.ShouldBe("dana");
        stored.DecidedAt.ShouldBe(_scenario.Time.GetUtcNow());
        stored.Comment.ShouldBe("checked the migration");
        decision.Approval.ShouldBe(stored);
        _scenario.Executor.Approved.ShouldHaveSingleItem().ShouldBe(stored);
        (await _scenario.Store.GetIncidentAsync(approval.IncidentId, CancellationToken.None))!.ApprovedBy.ShouldBe("dana");
        var approved = (await _scenario.TimelineAsync(approval))[^1];
        approved.Kind.ShouldBe(IncidentEventKind.Approved);
        approved.Summary.ShouldContain("dana");
        approved.Summary.ShouldContain("checked the migration");
    }

    [Fact]
    public async Task Decide_ByARoleBelowTheRequired_IsForbiddenAndChangesNothing()
    {
        var approval = await _scenario.RequestAsync(Authority.TeamLead);
        var eventsBefore = (await _scenario.TimelineAsync(approval)).Count;

        var decision = await _scenario.Service().DecideAsync(approval.Id, approve: true, new ApiCaller("olly", Authority.OnCall), null, CancellationToken.None);

        decision.Outcome.ShouldBe(ApprovalDecisionOutcome.Forbidden);
        decision.Approval!.Required.ShouldBe(Authority.TeamLead);
        (await _scenario.StoredAsync(approval.Id)).Status.ShouldBe(ApprovalStatus.Pending);
        (await _scenario.TimelineAsync(approval)).Count.ShouldBe(eventsBefore);
        _scenario.Executor.Approved.ShouldBeEmpty();
        _scenario.Log.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains("olly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Decide_ApproveTwice_AnswersTheSecondAsAlreadyDecidedAndTellsTheExecutorOnce()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);
        var service = _scenario.Service();
        await service.DecideAsync(approval.Id, approve: true, new ApiCaller("alice", Authority.OnCall), null, CancellationToken.None);
        _scenario.Time.Advance(TimeSpan.FromMinutes(1));

        var again = await service.DecideAsync(approval.Id, approve: true, new ApiCaller("bob", Authority.Cto), "me too", CancellationToken.None);

        again.Outcome.ShouldBe(ApprovalDecisionOutcome.AlreadyDecided);
        again.Succeeded.ShouldBeTrue();
        again.Approval!.DecidedBy.ShouldBe("alice");
        _scenario.Executor.Approved.Count.ShouldBe(1);
        (await _scenario.TimelineAsync(approval)).Count(e => e.Kind == IncidentEventKind.Approved).ShouldBe(1);
    }

    [Fact]
    public async Task Decide_RejectAfterApprove_IsAConflictAndTheApprovalStands()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);
        var service = _scenario.Service();
        await service.DecideAsync(approval.Id, approve: true, new ApiCaller("alice", Authority.OnCall), null, CancellationToken.None);

        var reject = await service.DecideAsync(approval.Id, approve: false, new ApiCaller("bob", Authority.Cto), "too late?", CancellationToken.None);

        reject.Outcome.ShouldBe(ApprovalDecisionOutcome.Conflict);
        reject.Succeeded.ShouldBeFalse();
        (await _scenario.StoredAsync(approval.Id)).Status.ShouldBe(ApprovalStatus.Approved);
        _scenario.Executor.Rejected.ShouldBeEmpty();
    }

    [Fact]
    public async Task Decide_ApproveAfterAnAutoApproval_IsAnsweredAsAlreadyDecided()
    {
        _scenario.AutoApproveAfter["checkout"] = TimeSpan.FromMinutes(5);
        var approval = await _scenario.RequestAsync(Authority.OnCall);
        var service = _scenario.Service();
        _scenario.Time.Advance(TimeSpan.FromMinutes(5));
        await service.RunOnceAsync(CancellationToken.None);

        var decision = await service.DecideAsync(approval.Id, approve: true, new ApiCaller("alice", Authority.OnCall), null, CancellationToken.None);

        decision.Outcome.ShouldBe(ApprovalDecisionOutcome.AlreadyDecided);
        _scenario.Executor.Approved.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Decide_Reject_RecordsWhoAndWhyAndTellsTheExecutorOnceToStopThePlan()
    {
        var approval = await _scenario.RequestAsync(Authority.TeamLead);
        var service = _scenario.Service();

        var reject = await service.DecideAsync(approval.Id, approve: false, new ApiCaller("dana", Authority.TeamLead), "fix forward instead", CancellationToken.None);
        var again = await service.DecideAsync(approval.Id, approve: false, new ApiCaller("dana", Authority.TeamLead), null, CancellationToken.None);

        reject.Outcome.ShouldBe(ApprovalDecisionOutcome.Rejected);
        again.Outcome.ShouldBe(ApprovalDecisionOutcome.AlreadyDecided);
        var stored = await _scenario.StoredAsync(approval.Id);
        stored.Status.ShouldBe(ApprovalStatus.Rejected);
        stored.Comment.ShouldBe("fix forward instead");
        _scenario.Executor.Rejected.ShouldHaveSingleItem().Id.ShouldBe(approval.Id);
        _scenario.Executor.Approved.ShouldBeEmpty();
        (await _scenario.Store.GetIncidentAsync(approval.IncidentId, CancellationToken.None))!.ApprovedBy.ShouldBeNull();
        (await _scenario.TimelineAsync(approval))[^1].Kind.ShouldBe(IncidentEventKind.Rejected);
    }

    [Fact]
    public async Task Decide_AnUnknownId_IsNotFound()
    {
        var decision = await _scenario.Service().DecideAsync(404, approve: true, new ApiCaller("alice", Authority.Cto), null, CancellationToken.None);

        decision.Outcome.ShouldBe(ApprovalDecisionOutcome.NotFound);
        decision.Approval.ShouldBeNull();
    }

    [Fact]
    public async Task Decide_WhenTheExecutorThrows_KeepsTheRecordedDecisionAndLogsTheFailure()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);
        _scenario.Executor.ThrowOnCall = new InvalidOperationException("executor is down");

        var decision = await _scenario.Service().DecideAsync(approval.Id, approve: true, new ApiCaller("alice", Authority.OnCall), null, CancellationToken.None);

        decision.Outcome.ShouldBe(ApprovalDecisionOutcome.Approved);
        (await _scenario.StoredAsync(approval.Id)).Status.ShouldBe(ApprovalStatus.Approved);
        _scenario.Log.Entries.ShouldContain(e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
    }
}
