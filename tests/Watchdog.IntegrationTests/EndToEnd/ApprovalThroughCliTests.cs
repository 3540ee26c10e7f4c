using System.Globalization;
using System.Text.Json;
using Watchdog.Sandbox.Demo;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// Scenario 4: a rollback that needs an on-call engineer's approval waits, changing nothing, until alice approves it
/// with the on-call CLI (<c>watchdog approve ID</c>, a separate process against the running daemon); then it runs.
/// </summary>
[Collection(EndToEndTestGroup.Name)]
public sealed class ApprovalThroughCliTests(EndToEndWorld world, ITestOutputHelper output)
{
    private const string Web = "s4-web";

    [Fact]
    public async Task RollbackNeedingApproval_WaitsUntilApprovedThroughTheCli_ThenTheUndoRuns()
    {
        await world.DeployAsync(Web);
        await using var daemon = await world.StartDaemonAsync(output, new EndToEndTarget(Web, $"[{EndToEndWorld.Undo(Web)}]", EndToEndPolicies.OnCallApproval));
        var api = daemon.Api;
        await world.ReleaseAsync(Web, SampleApp.BadImage);

        var approvalId = await api.UntilAsync(
            async () => (await api.GetJsonAsync("api/v1/approvals?status=pending", EndToEndDaemon.OnCallToken)).EnumerateArray()
                .Where(a => a.GetProperty("target").GetString() == Web)
                .Select(a => (long?)a.GetProperty("id").GetInt64())
                .FirstOrDefault(),
            "an approval was requested");
        var pending = await daemon.CliAsync("approvals");
        pending.ExitCode.ShouldBe(0, pending.Errors);
        pending.Output.ShouldContain(Web);
        world.PatchesByWatchdog(Web).ShouldBe(0, "nothing runs before the approval");
        await daemon.HeardAsync(daemon.OnCallMessages, "APPROVAL REQUIRED");

        var approved = await daemon.CliAsync("approve", approvalId.ToString(CultureInfo.InvariantCulture), "--comment", "the release is bad");
        approved.ExitCode.ShouldBe(0, approved.Errors);
        output.WriteLine(approved.Output);

        var run = await daemon.FinishedRunAsync(Web);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        world.PatchesByWatchdog(Web).ShouldBe(1);
        world.ImageOf(Web).ShouldBe(SampleApp.StableImage);
        var approval = await api.GetJsonAsync($"api/v1/approvals/{approvalId}", EndToEndDaemon.OnCallToken);
        approval.GetProperty("status").GetString().ShouldBe("approved");
        approval.GetProperty("decidedBy").GetString().ShouldBe("alice");
        approval.GetProperty("comment").GetString().ShouldBe("the release is bad");
        var report = (await api.ReportOfAsync(Web))!.Value;
        var step = run.GetProperty("steps")[0];
        step.GetProperty("startedAt").GetDateTimeOffset().ShouldBeGreaterThanOrEqualTo(approval.GetProperty("decidedAt").GetDateTimeOffset(), "the undo started after the approval");
        report.GetProperty("approvals").EnumerateArray().ShouldHaveSingleItem().GetProperty("status").GetString().ShouldBe("approved");
        output.WriteLine(JsonSerializer.Serialize(report.GetProperty("timeline")));
    }
}
