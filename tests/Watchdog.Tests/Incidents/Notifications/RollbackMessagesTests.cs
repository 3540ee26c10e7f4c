using Watchdog.Incidents.Notifications;
using Watchdog.Rules;

namespace Watchdog.Tests.Incidents.Notifications;

/// <summary>The WMS runbook's "Rollback Communication" blocks, line by line (the underline is as long as the title).</summary>
public sealed class RollbackMessagesTests
{
    private static readonly DateTimeOffset Started = new(2025, 6, 1, 14, 30, 5, TimeSpan.FromHours(2));

    [Fact]
    public void InProgress_RendersTheRunbookBlock_WithItsFieldsInOrder_AndTheStartInUtc()
    {
        var message = RollbackMessages.InProgress("Production", "abc1234", "def5678", "error rate 12% > 10% for 30s", Started, TimeSpan.FromMinutes(5));

        NotificationText.Render(message).ShouldBe("""
            ROLLBACK IN PROGRESS
            ━━━━━━━━━━━━━━━━━━━━
            Environment: Production
            Previous Version: abc1234
            Rolling Back To: def5678
            Reason: error rate 12% > 10% for 30s
            Started: 12:30:05 UTC
            ETA: 5m00s
            """);
        message.Kind.ShouldBe("rollback-in-progress");
    }

    [Fact]
    public void InProgress_LeavesOutTheVersionsAndTheEtaThatAreNotKnown_InsteadOfGuessing()
    {
        var message = RollbackMessages.InProgress("Production", null, null, "error rate 12% > 10% for 30s", Started, eta: null);

        NotificationText.Render(message).ShouldBe("""
            ROLLBACK IN PROGRESS
            ━━━━━━━━━━━━━━━━━━━━
            Environment: Production
            Reason: error rate 12% > 10% for 30s
            Started: 12:30:05 UTC
            """);
    }

    [Fact]
    public void Complete_RendersTheRunbookBlock_EndingWithAllHealthChecksPassing()
    {
        var message = RollbackMessages.Complete("Production", "def5678");

        NotificationText.Render(message).ShouldBe("""
            ROLLBACK COMPLETE
            ━━━━━━━━━━━━━━━━━
            Environment: Production
            Current Version: def5678
            Status: Operational
            All health checks passing
            """);
        message.Kind.ShouldBe("rollback-complete");
    }

    [Fact]
    public void IssuesDetected_RendersTheRunbookBlock_WithTheNextUpdateInUtc()
    {
        var message = RollbackMessages.IssuesDetected(
            "Production", "def5678", "error rate still 8%", "scaling checkout to 6 replicas", Started.AddMinutes(15));

        NotificationText.Render(message).ShouldBe("""
            ROLLBACK ISSUES DETECTED
            ━━━━━━━━━━━━━━━━━━━━━━━━
            Environment: Production
            Current Version: def5678
            Issues: error rate still 8%
            Actions: scaling checkout to 6 replicas
            Next Update: 12:45:05 UTC
            """);
        message.Kind.ShouldBe("rollback-issues-detected");
    }

    [Theory]
    [InlineData(ActionSkipReason.DryRun, "dry run")]
    [InlineData(ActionSkipReason.Cooldown, "cooldown")]
    [InlineData(ActionSkipReason.Budget, "budget")]
    public void ActionSkipped_NamesTheRailThatHeldTheActionBack_AndWhy(object becauseValue, string shown)
    {
        var because = (ActionSkipReason)becauseValue; // internal type: xunit passes it boxed
        var message = RollbackMessages.ActionSkipped("checkout", DecisionAction.Rollback, because, "details", Started);

        NotificationText.Render(message).ShouldBe($"""
            ACTION SKIPPED
            ━━━━━━━━━━━━━━
            Target: checkout
            Action: rollback
            Skipped Because: {shown}
            Reason: details
            At: 12:30:05 UTC
            """);
        message.Kind.ShouldBe("action-skipped");
    }

    [Theory]
    [InlineData(90, "1m30s")]
    [InlineData(60, "1m00s")]
    [InlineData(600, "10m00s")]
    [InlineData(7200, "2h00m")]
    [InlineData(0.25, "250ms")]
    public void InProgress_StatesTheEtaAsAHumanDuration(double seconds, string expected)
    {
        var message = RollbackMessages.InProgress("Production", "a", "b", "r", Started, TimeSpan.FromSeconds(seconds));

        message.Fields.Single(f => f.Key == "ETA").Value.ShouldBe(expected);
    }
}
