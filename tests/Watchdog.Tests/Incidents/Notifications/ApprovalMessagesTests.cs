using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Tests.Incidents.Notifications;

public sealed class ApprovalMessagesTests
{
    private static readonly Approval Pending = new()
    {
        Id = 42,
        RunId = 7,
        IncidentId = 3,
        Target = "checkout",
        Action = DecisionAction.Rollback,
        Required = Authority.TeamLead,
        RequestedAt = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero),
    };

    private static readonly ApprovalLinks Links = new("https://watchdog.example.com");

    [Fact]
    public void Requested_ShowsTargetActionAuthorityRuleValuesAndHowToApprove_WithAnAbsoluteLinkAndTheCliVerbs()
    {
        var message = ApprovalMessages.Requested(Pending, "error-rate-high", "error_rate 0.12 > 0.10 for 30s", Links);

        NotificationText.Render(message).ShouldBe("""
            APPROVAL REQUIRED
            ━━━━━━━━━━━━━━━━━
            Target: checkout
            Action: rollback
            Required Authority: team-lead
            Rule: error-rate-high
            Values: error_rate 0.12 > 0.10 for 30s
            Approval ID: 42
            Requested: 12:00:00 UTC
            Link: https://watchdog.example.com/api/v1/approvals/42
            Approve: watchdog approve 42 (or POST https://watchdog.example.com/api/v1/approvals/42/approve)
            Reject: watchdog reject 42 (or POST https://watchdog.example.com/api/v1/approvals/42/reject)
            POST with a bearer token whose role is at least team-lead.
            """);
        message.Kind.ShouldBe("approval-requested");
    }

    [Fact]
    public void Escalated_AfterFifteenMinutes_NotifiesTheRunbooksSecondLevel()
    {
        var message = ApprovalMessages.Escalated(Pending, 1, ApprovalOptions.RunbookEscalation[1], Links);

        NotificationText.Render(message).ShouldBe("""
            APPROVAL ESCALATED
            ━━━━━━━━━━━━━━━━━━
            Target: checkout
            Action: rollback
            Required Authority: team-lead
            Approval ID: 42
            Escalation Level: 1 (unanswered for 15m00s)
            Now Notified: senior-engineer, engineering-manager
            Waiting Since: 12:00:00 UTC
            Link: https://watchdog.example.com/api/v1/approvals/42
            Approve: watchdog approve 42 (or POST https://watchdog.example.com/api/v1/approvals/42/approve)
            Reject: watchdog reject 42 (or POST https://watchdog.example.com/api/v1/approvals/42/reject)
            """);
        message.Kind.ShouldBe("approval-escalated");
    }

    [Fact]
    public void Escalated_AfterThirtyMinutes_NotifiesTheCto()
    {
        var message = ApprovalMessages.Escalated(Pending, 2, ApprovalOptions.RunbookEscalation[2], Links);

        message.Fields.Single(f => f.Key == "Now Notified").Value.ShouldBe("cto");
        message.Fields.Single(f => f.Key == "Escalation Level").Value.ShouldBe("2 (unanswered for 30m00s)");
    }
}
