using Watchdog.IntegrationTests.Faults;
using Watchdog.Sandbox.Demo;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// Scenario 1: a release whose image fails 12 % of requests, seen by the real Prometheus, is undone by the daemon
/// on its own; the error rate follows the image back down, so the incident closes as recovered; and real kubectl
/// sees the history as after <c>kubectl rollout undo</c>: the old revision renumbered as the newest.
/// </summary>
[Collection(EndToEndTestGroup.Name)]
public sealed class ErrorSpikeRollbackTests(EndToEndWorld world, ITestOutputHelper output)
{
    private const string Web = "s1-web";

    [Fact]
    public async Task ErrorSpike_IsRolledBackAutomatically_TheIncidentClosesAfterRecovery_AndKubectlShowsTheRenumberedRevision()
    {
        output.WriteLine($"the world started in {world.StartTime.TotalSeconds:F1} s");
        await world.DeployAsync(Web);
        await using var daemon = await world.StartDaemonAsync(output, new EndToEndTarget(Web, $"[{EndToEndWorld.Undo(Web)}, {EndToEndWorld.RolloutWait(Web)}]"));
        var api = daemon.Api;
        await api.SignalAsync(Web, "error_rate", s => s.GetProperty("state").GetString() == "value", "a value before the release");

        await world.ReleaseAsync(Web, SampleApp.BadImage);

        var run = await daemon.FinishedRunAsync(Web);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var closed = await daemon.ClosedReportAsync(Web);
        output.WriteLine(closed.ToString());

        var incident = closed.GetProperty("incident");
        incident.GetProperty("closeReason").GetString().ShouldBe("recovered");
        incident.GetProperty("triggerRule").GetString().ShouldBe($"{EndToEndPolicies.ErrorRate}-high");
        incident.GetProperty("beforeState").GetString().ShouldBe($"{SampleApp.BadImage} (revision 2)");
        incident.GetProperty("afterState").GetString().ShouldBe($"{SampleApp.StableImage} (revision 3, was 1)");
        DaemonApi.ExecutedRuns(closed).Count().ShouldBe(1);
        world.PatchesByWatchdog(Web).ShouldBe(1, "one undo");
        world.ImageOf(Web).ShouldBe(SampleApp.StableImage);
        (await api.IncidentsOfAsync(Web)).Count.ShouldBe(1, "recovered, not reopened");

        var (code, history, error) = await world.KubectlAsync("rollout", "history", $"deployment/{Web}");
        code.ShouldBe(0, error);
        output.WriteLine(history);
        history.ShouldContain("REVISION  CHANGE-CAUSE");
        history.ShouldContain("\n2         <none>");
        history.ShouldContain("\n3         <none>");
        history.ShouldNotContain("\n1         <none>", customMessage: "revision 1 was renumbered as 3");
    }
}
