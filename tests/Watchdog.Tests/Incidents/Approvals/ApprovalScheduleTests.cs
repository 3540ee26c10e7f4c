using Watchdog.Configuration;
using Watchdog.Incidents.Approvals;
using Watchdog.Rules;
using Watchdog.Tests.Hosting;

namespace Watchdog.Tests.Incidents.Approvals;

public sealed class ApprovalScheduleTests
{
    [Fact]
    public void From_TakesEachTargetsAutoApproveAfterFromItsPolicy_AndNoneForUnknownTargetsOrDefaultPolicies()
    {
        var patient = TestPolicies.ErrorRateRollback();
        var hasty = PolicyCompiler.Compile(patient.Definition with { Name = "hasty", Approval = new ApprovalPolicy(TimeSpan.FromMinutes(20)) });
        var options = new WatchdogOptions
        {
            Targets = [new TargetOptions { Name = "checkout", Policy = "hasty" }, new TargetOptions { Name = "search", Policy = TestPolicies.ErrorRate }],
        };

        var schedule = ApprovalSchedule.From(options, new Dictionary<string, CompiledPolicy> { ["hasty"] = hasty, [TestPolicies.ErrorRate] = patient });

        schedule.AutoApproveAfter("checkout").ShouldBe(TimeSpan.FromMinutes(20));
        schedule.AutoApproveAfter("search").ShouldBeNull();
        schedule.AutoApproveAfter("gone").ShouldBeNull();
        schedule.Escalation.ShouldBe(ApprovalOptions.RunbookEscalation);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(899, 0)]
    [InlineData(900, 1)]
    [InlineData(1799, 1)]
    [InlineData(1800, 2)]
    [InlineData(86_400, 2)]
    public void LevelDueAfter_FollowsTheRunbooksEscalationTimes(int waitedSeconds, int level)
    {
        var schedule = new ApprovalSchedule(ApprovalOptions.RunbookEscalation, _ => null);

        schedule.LevelDueAfter(TimeSpan.FromSeconds(waitedSeconds)).ShouldBe(level);
    }
}
