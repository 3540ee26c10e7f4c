using System.Globalization;
using Watchdog.Incidents;
using Watchdog.Incidents.Approvals;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Tests.Incidents.Approvals;

public sealed class ApprovalEscalationTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly ApprovalScenario _scenario = new();

    [Fact]
    public async Task Request_RecordsAPendingApprovalATimelineEntryAndTheApprovalRequiredNotification()
    {
        var approval = await _scenario.RequestAsync(Authority.TeamLead);

        var stored = await _scenario.StoredAsync(approval.Id);
        stored.Status.ShouldBe(ApprovalStatus.Pending);
        stored.Required.ShouldBe(Authority.TeamLead);
        stored.EscalationLevel.ShouldBe(0);
        stored.RequestedAt.ShouldBe(_scenario.Time.GetUtcNow());
        (await _scenario.TimelineAsync(approval)).Select(e => e.Kind).ShouldBe([IncidentEventKind.ApprovalRequested]);
        (await _scenario.QueuedKeysAsync()).ShouldBe([$"approval/{approval.Id}/level/0"]);

        var message = _scenario.Outbox.Calls.ShouldHaveSingleItem().Message;
        message.Kind.ShouldBe("approval-requested");
        message.Title.ShouldBe("APPROVAL REQUIRED");
        var fields = message.Fields.ToDictionary(f => f.Key, f => f.Value);
        fields["Target"].ShouldBe("checkout");
        fields["Action"].ShouldBe("rollback");
        fields["Required Authority"].ShouldBe("team-lead");
        fields["Rule"].ShouldBe(ApprovalScenario.Rule);
        fields["Values"].ShouldBe(ApprovalScenario.Values);
        fields["Approval ID"].ShouldBe(approval.Id.ToString(CultureInfo.InvariantCulture));
        fields["Link"].ShouldBe($"https://watchdog.example.com/api/v1/approvals/{approval.Id}");
        fields["Approve"].ShouldBe($"watchdog approve {approval.Id} (or POST https://watchdog.example.com/api/v1/approvals/{approval.Id}/approve)");
    }

    [Fact]
    public async Task RunOnce_At14Minutes59Seconds_DoesNotEscalate()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);

        _scenario.Time.Advance((15 * Minute) - Second);
        await _scenario.Service().RunOnceAsync(CancellationToken.None);

        (await _scenario.StoredAsync(approval.Id)).EscalationLevel.ShouldBe(0);
        (await _scenario.QueuedKeysAsync()).ShouldBe([$"approval/{approval.Id}/level/0"]);
    }

    [Fact]
    public async Task RunOnce_AtExactly15Minutes_EscalatesToTheSeniorEngineerAndEngineeringManager()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);

        _scenario.Time.Advance(15 * Minute);
        await _scenario.Service().RunOnceAsync(CancellationToken.None);

        var stored = await _scenario.StoredAsync(approval.Id);
        stored.EscalationLevel.ShouldBe(1);
        stored.LastEscalatedAt.ShouldBe(_scenario.Time.GetUtcNow());
        stored.Status.ShouldBe(ApprovalStatus.Pending);
        (await _scenario.QueuedKeysAsync()).ShouldBe([$"approval/{approval.Id}/level/0", $"approval/{approval.Id}/level/1"]);
        var (_, message) = _scenario.Outbox.Calls.Last();
        message.Kind.ShouldBe("approval-escalated");
        message.Title.ShouldBe("APPROVAL ESCALATED");
        message.Fields.Single(f => f.Key == "Now Notified").Value.ShouldBe("senior-engineer, engineering-manager");
        _scenario.Outbox.Audiences[$"approval/{approval.Id}/level/0"].ShouldBe(["on-call"]);
        _scenario.Outbox.Audiences[$"approval/{approval.Id}/level/1"].ShouldBe(["senior-engineer", "engineering-manager"]);
        message.Fields.Single(f => f.Key == "Escalation Level").Value.ShouldBe("1 (unanswered for 15m00s)");
        var escalated = (await _scenario.TimelineAsync(approval))[^1];
        escalated.Kind.ShouldBe(IncidentEventKind.ApprovalEscalated);
        escalated.Summary.ShouldContain("senior-engineer, engineering-manager");
    }

    [Fact]
    public async Task RunOnce_At29Minutes59Seconds_StaysAtTheSecondLevel_AndAtExactly30Minutes_EscalatesToTheCto()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);
        var service = _scenario.Service();
        _scenario.Time.Advance(15 * Minute);
        await service.RunOnceAsync(CancellationToken.None);

        _scenario.Time.Advance((15 * Minute) - Second);
        await service.RunOnceAsync(CancellationToken.None);
        (await _scenario.StoredAsync(approval.Id)).EscalationLevel.ShouldBe(1);

        _scenario.Time.Advance(Second);
        await service.RunOnceAsync(CancellationToken.None);

        (await _scenario.StoredAsync(approval.Id)).EscalationLevel.ShouldBe(2);
        var (key, message) = _scenario.Outbox.Calls.Last();
        key.ShouldBe($"approval/{approval.Id}/level/2");
        message.Fields.Single(f => f.Key == "Now Notified").Value.ShouldBe("cto");
    }

    [Fact]
    public async Task RunOnce_TickingEvery5SecondsFor45Minutes_NotifiesEachLevelExactlyOnce()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);
        var start = _scenario.Time.GetUtcNow();

        await _scenario.TickUntilAsync(_scenario.Service(), 45 * Minute, start, ApprovalService.TickPeriod);

        _scenario.Outbox.Calls.Select(c => c.EventKey).ShouldBe(
            [$"approval/{approval.Id}/level/0", $"approval/{approval.Id}/level/1", $"approval/{approval.Id}/level/2"]);
        (await _scenario.TimelineAsync(approval)).Count(e => e.Kind == IncidentEventKind.ApprovalEscalated).ShouldBe(2);
    }

    [Fact]
    public async Task RunOnce_AfterARestart_DoesNotNotifyAReachedLevelAgain()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);
        _scenario.Time.Advance(16 * Minute);
        await _scenario.Service().RunOnceAsync(CancellationToken.None);
        _scenario.Outbox.Calls.Count.ShouldBe(2);

        var restarted = _scenario.Service();
        _scenario.Time.Advance(Minute);
        await restarted.RunOnceAsync(CancellationToken.None);
        await restarted.RunOnceAsync(CancellationToken.None);

        _scenario.Outbox.Calls.Count.ShouldBe(2);
        (await _scenario.QueuedKeysAsync()).ShouldBe([$"approval/{approval.Id}/level/0", $"approval/{approval.Id}/level/1"]);

        _scenario.Time.Advance(13 * Minute);
        await restarted.RunOnceAsync(CancellationToken.None);
        _scenario.Outbox.Calls.Last().EventKey.ShouldBe($"approval/{approval.Id}/level/2");
        _scenario.Outbox.Calls.Count.ShouldBe(3);
    }

    [Fact]
    public async Task RunOnce_FirstTickAfterALongOutage_GoesStraightToTheTopLevelAndNotifiesEveryoneItSkipped()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);

        _scenario.Time.Advance(40 * Minute);
        await _scenario.Service().RunOnceAsync(CancellationToken.None);

        (await _scenario.StoredAsync(approval.Id)).EscalationLevel.ShouldBe(2);
        (await _scenario.QueuedKeysAsync()).ShouldBe([$"approval/{approval.Id}/level/0", $"approval/{approval.Id}/level/2"]);
        _scenario.Outbox.Calls.Last().Message.Fields.Single(f => f.Key == "Now Notified").Value.ShouldBe("senior-engineer, engineering-manager, cto");
    }

    [Fact]
    public async Task RunOnce_AfterTheApprovalIsDecided_EscalatesNoFurther()
    {
        var approval = await _scenario.RequestAsync(Authority.OnCall);
        var service = _scenario.Service();
        _scenario.Time.Advance(10 * Minute);
        await service.DecideAsync(approval.Id, approve: true, new ApiCaller("alice", Authority.OnCall), null, CancellationToken.None);

        _scenario.Time.Advance(30 * Minute);
        await service.RunOnceAsync(CancellationToken.None);

        (await _scenario.StoredAsync(approval.Id)).EscalationLevel.ShouldBe(0);
        (await _scenario.QueuedKeysAsync()).ShouldBe([$"approval/{approval.Id}/level/0"]);
    }

    [Fact]
    public async Task RunOnce_AtTheTargetsAutoApproveAfter_ApprovesAsAutoAndHandsTheRunToTheExecutorOnce()
    {
        _scenario.AutoApproveAfter["checkout"] = 20 * Minute;
        var approval = await _scenario.RequestAsync(Authority.TeamLead);
        var service = _scenario.Service();

        _scenario.Time.Advance((20 * Minute) - Second);
        await service.RunOnceAsync(CancellationToken.None);
        (await _scenario.StoredAsync(approval.Id)).Status.ShouldBe(ApprovalStatus.Pending);
        _scenario.Executor.Approved.ShouldBeEmpty();

        _scenario.Time.Advance(Second);
        await service.RunOnceAsync(CancellationToken.None);
        _scenario.Time.Advance(Minute);
        await service.RunOnceAsync(CancellationToken.None);

        var stored = await _scenario.StoredAsync(approval.Id);
        stored.Status.ShouldBe(ApprovalStatus.AutoApproved);
        stored.DecidedBy.ShouldBe("auto");
        stored.DecidedAt.ShouldBe(approval.RequestedAt + (20 * Minute));
        _scenario.Executor.Approved.ShouldHaveSingleItem().Id.ShouldBe(approval.Id);
        _scenario.Executor.Rejected.ShouldBeEmpty();
        (await _scenario.Store.GetIncidentAsync(approval.IncidentId, CancellationToken.None))!.ApprovedBy.ShouldBe("auto");
        (await _scenario.TimelineAsync(approval))[^1].Kind.ShouldBe(IncidentEventKind.Approved);
    }

    [Fact]
    public async Task RunOnce_AutoApprovalDueWithAnEscalation_ApprovesWithoutPagingAnyone()
    {
        _scenario.AutoApproveAfter["checkout"] = 15 * Minute;
        var approval = await _scenario.RequestAsync(Authority.OnCall);

        _scenario.Time.Advance(15 * Minute);
        await _scenario.Service().RunOnceAsync(CancellationToken.None);

        (await _scenario.StoredAsync(approval.Id)).Status.ShouldBe(ApprovalStatus.AutoApproved);
        (await _scenario.QueuedKeysAsync()).ShouldBe([$"approval/{approval.Id}/level/0"]);
    }

    [Fact]
    public async Task RunOnce_WithoutAutoApproveAfter_KeepsWaitingAtTheTopLevelForADay()
    {
        _scenario.AutoApproveAfter["search"] = Minute;   // another target's policy must not leak into this one
        var approval = await _scenario.RequestAsync(Authority.OnCall);
        var service = _scenario.Service();

        await _scenario.TickUntilAsync(service, TimeSpan.FromDays(1), approval.RequestedAt, TimeSpan.FromMinutes(5));

        var stored = await _scenario.StoredAsync(approval.Id);
        stored.Status.ShouldBe(ApprovalStatus.Pending);
        stored.EscalationLevel.ShouldBe(2);
        _scenario.Executor.Approved.ShouldBeEmpty();
        _scenario.Outbox.Calls.Count.ShouldBe(3);
    }
}
