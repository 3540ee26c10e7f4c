using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Flags;
using Watchdog.Sandbox.Demo;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// Scenario 6: the daemon is killed with SIGKILL in the middle of a rollback, in the hold after it set the release's
/// flag to 50 % in the real Unleash, and started again on the same PostgreSQL database. The rollback goes on from
/// that hold and completes once: the flag goes down to 0 and off, never back up (Unleash's own event log), and
/// exactly one undo PATCH reaches the simulator.
/// </summary>
[Collection(EndToEndTestGroup.Name)]
public sealed class DaemonKillDuringRollbackTests(EndToEndWorld world, ITestOutputHelper output)
{
    private const string Web = "s6-web";

    // Long enough that the kill lands inside the 50 % hold on a loaded machine, short enough for a quick test.
    private const string Hold = "4s";

    [Fact]
    public async Task KilledInTheFlagHold_AndRestarted_TheRollbackCompletesExactlyOnce_AndTheFlagNeverGoesBackUp()
    {
        var flag = await FlagGuardedTarget.CreateAsync(world.Unleash, world.Prometheus, errorRatio: 0);
        await world.DeployAsync(Web);
        await world.ReleaseAsync(Web, SampleApp.BadImage);
        var reduce = $"{{action: flag-reduce, flag: {flag.Flag}, provider: unleash, until: \"error_rate <= {EndToEndPolicies.Threshold}\", steps: \"50,0\", hold: {Hold}}}";
        await using var daemon = await world.StartDaemonAsync(output, new EndToEndTarget(Web, $"[{reduce}, {EndToEndWorld.Undo(Web)}, {EndToEndWorld.RolloutWait(Web)}]"));
        var api = daemon.Api;
        await api.UntilAsync(
            async () => await api.ReportOfAsync(Web) is { } report && DaemonApi.Timeline(report, "step-progress").Any(p => p.Contains("holding at 50 %", StringComparison.Ordinal)),
            "the reduction holds at 50 %");

        await daemon.Process.KillAsync();
        (await flag.RolloutAsync()).ShouldBe("50", "killed in the 50 % hold");
        world.PatchesByWatchdog(Web).ShouldBe(0, "killed before the undo");
        await daemon.Process.StartAgainAsync();

        var run = await daemon.FinishedRunAsync(Web);
        var report = (await api.ReportOfAsync(Web))!.Value;
        output.WriteLine(report.ToString());
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var steps = run.GetProperty("steps");
        steps[0].GetProperty("attempts").GetInt32().ShouldBe(2, "flag-reduce is idempotent: it went on after the restart");
        steps[1].GetProperty("attempts").GetInt32().ShouldBe(1, "the undo ran once");
        steps[2].GetProperty("status").GetString().ShouldBe("succeeded");
        DaemonApi.Timeline(report, "step-resumed").ShouldHaveSingleItem().ShouldContain("step 1 (flag-reduce) was under way when Watchdog stopped");
        (await flag.RolloutsSetAsync()).ShouldBe([50, 0], "Unleash's event log: down, never back up");
        (await flag.EnabledAsync()).ShouldBeFalse("off at 0 %");
        world.PatchesByWatchdog(Web).ShouldBe(1, "exactly one undo reached the simulator");
        world.ImageOf(Web).ShouldBe(SampleApp.StableImage);
        DaemonApi.ExecutedRuns(report).Count().ShouldBe(1);
        daemon.Process.Starts.ShouldBe(2);
    }
}
