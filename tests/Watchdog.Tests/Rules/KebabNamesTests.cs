using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Tests.Rules;

/// <summary>
/// The names are stored and sent on the wire, so they must be exactly the ones the hand-kept tables had before
/// KebabNames derived them: these lists are those tables, copied once as the contract.
/// </summary>
public sealed class KebabNamesTests
{
    [Fact]
    public void Names_AreTheStoredAndWireNames_InDeclarationOrder()
    {
        KebabNames<DecisionAction>.All.ShouldBe(["none", "monitor", "investigate", "scale", "scale-then-rollback", "rollback", "stop-writes"]);
        KebabNames<Authority>.All.ShouldBe(["automatic", "on-call", "team-lead", "cto"]);
        KebabNames<IncidentStatus>.All.ShouldBe(["open", "closed"]);
        KebabNames<ApprovalStatus>.All.ShouldBe(["pending", "approved", "rejected", "auto-approved"]);
        KebabNames<NotificationStatus>.All.ShouldBe(["pending", "sent", "failed", "deferred"]);
        KebabNames<StepStatus>.All.ShouldBe(["pending", "started", "succeeded", "failed", "interrupted", "skipped-dry-run", "not-run"]);
        KebabNames<ActionRunStatus>.All.ShouldBe(["awaiting-approval", "running", "succeeded", "failed", "rejected", "interrupted", "dry-run", "skipped"]);
    }

    [Fact]
    public void Parse_ReadsEveryNameBack_AndRefusesOthersNamingWhatWasExpected()
    {
        foreach (var status in Enum.GetValues<StepStatus>())
        {
            StepStatuses.Parse(status.ToName()).ShouldBe(status);
        }

        KebabNames<Authority>.TryParse("OnCall", out _).ShouldBeFalse("names are the kebab-case ones, exactly");
        KebabNames<Authority>.TryParse(null, out _).ShouldBeFalse();
        Should.Throw<FormatException>(() => StepStatuses.Parse("done")).Message.ShouldBe("unknown step status 'done'");
        Should.Throw<ArgumentOutOfRangeException>(() => KebabNames<Authority>.Of((Authority)42));
    }
}
