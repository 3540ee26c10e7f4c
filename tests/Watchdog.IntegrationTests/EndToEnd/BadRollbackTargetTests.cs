using Watchdog.IntegrationTests.Faults;
using Watchdog.Sandbox.Demo;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// Scenario 5: the revision the undo goes back to is bad too (the degraded image, 7 % errors). The undo runs once;
/// the target stays unhealthy past the recovery window, so on-call hears ROLLBACK ISSUES DETECTED, the senior
/// engineers' channel hears it escalated, and the rollback is not run again: exactly one undo PATCH reaches the
/// simulator, and the decision to roll back again is recorded as not repeated.
/// </summary>
[Collection(EndToEndTestGroup.Name)]
public sealed class BadRollbackTargetTests(EndToEndWorld world, ITestOutputHelper output)
{
    private const string Web = "s5-web";
    private const string IssuesDetected = "\"title\":\"ROLLBACK ISSUES DETECTED\"";

    [Fact]
    public async Task RollbackTargetAlsoBad_IssuesDetectedAndEscalated_AndTheUndoIsNotRepeated()
    {
        await world.DeployAsync(Web, SampleApp.DegradedImage);
        await world.ReleaseAsync(Web, SampleApp.BadImage);
        await using var daemon = await world.StartDaemonAsync(output, new EndToEndTarget(Web, $"[{EndToEndWorld.Undo(Web)}]"));
        var api = daemon.Api;

        var run = await daemon.FinishedRunAsync(Web);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        world.ImageOf(Web).ShouldBe(SampleApp.DegradedImage);
        await daemon.HeardAsync(daemon.OnCallMessages, IssuesDetected);
        await daemon.HeardAsync(daemon.SeniorMessages, IssuesDetected);
        var report = await api.UntilAsync(
            async () => await api.ReportOfAsync(Web) is { } r && r.GetProperty("runs").EnumerateArray().Any(NotRepeated) ? r : (System.Text.Json.JsonElement?)null,
            "the rollback decided again was recorded as not repeated");
        var evaluations = (await api.TargetAsync(Web)).GetProperty("evaluations").GetInt64();
        await api.EvaluatedAsync(Web, (int)evaluations + 6);
        var later = (await api.ReportOfAsync(Web))!.Value;
        output.WriteLine(later.ToString());

        world.PatchesByWatchdog(Web).ShouldBe(1, "exactly one undo reached the simulator");
        DaemonApi.ExecutedRuns(later).Count().ShouldBe(1, later.GetProperty("runs").ToString());
        later.GetProperty("runs").EnumerateArray().Count(NotRepeated).ShouldBe(1, "the refusal is recorded once, not at every evaluation");
        report.GetProperty("incident").GetProperty("status").GetString().ShouldBe("open");
        var notRecovered = DaemonApi.Timeline(later, "not-recovered");
        notRecovered.Count.ShouldBe(2, string.Join('\n', notRecovered));
        notRecovered[1].ShouldContain("escalated to senior-engineer");
        daemon.OnCallMessages().Count(m => m.Body.Contains(IssuesDetected, StringComparison.Ordinal)).ShouldBe(2, "once to everyone, once more with the escalation");
        var senior = daemon.SeniorMessages().ShouldHaveSingleItem();
        senior.Body.ShouldContain(IssuesDetected);
        senior.Body.ShouldContain("senior-engineer to take over");
        world.ImageOf(Web).ShouldBe(SampleApp.DegradedImage, "not undone further");
    }

    private static bool NotRepeated(System.Text.Json.JsonElement run) =>
        run.GetProperty("reason").GetString()?.StartsWith("not repeated:", StringComparison.Ordinal) == true;
}
