using Watchdog.Sandbox.Demo;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// Scenario 3: a target whose policy reads nothing but an Alertmanager alert. The real Prometheus evaluates the
/// alerting rule on the sample app's metrics, the real Alertmanager sends the firing alert to the daemon's webhook
/// intake, and the daemon undoes the deployment; the alert resolves the same way and the incident closes.
/// </summary>
[Collection(EndToEndTestGroup.Name)]
public sealed class AlertOnlyTriggerTests(EndToEndWorld world, ITestOutputHelper output)
{
    private const string Web = "s3-web";
    private const string Signal = $"alert:{EndToEndWorld.AlertName}";

    [Fact]
    public async Task AlertFiredByThePrometheusRuleThroughAlertmanager_RollsBack_AndItsResolveClosesTheIncident()
    {
        await world.DeployAsync(Web);
        await using var daemon = await world.StartDaemonAsync(output, new EndToEndTarget(Web, $"[{EndToEndWorld.Undo(Web)}]", EndToEndPolicies.AlertOnly));
        var api = daemon.Api;
        await world.SendAlertsToAsync(daemon);

        await world.ReleaseAsync(Web, SampleApp.BadImage);

        var run = await daemon.FinishedRunAsync(Web);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        world.ImageOf(Web).ShouldBe(SampleApp.StableImage);
        world.PatchesByWatchdog(Web).ShouldBe(1);
        var closed = await daemon.ClosedReportAsync(Web);
        output.WriteLine(closed.ToString());

        closed.GetProperty("incident").GetProperty("triggerRule").GetString().ShouldBe($"{EndToEndPolicies.AlertOnly}-high");
        closed.GetProperty("incident").GetProperty("closeReason").GetString().ShouldBe("recovered");
        var target = await api.TargetAsync(Web);
        target.GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("signal").GetString()).ShouldBe([Signal], "the policy reads the alert only");
        var alerts = (await api.AlertsAsync(EndToEndWorld.AlertmanagerToken)).Where(a => a.GetRawText().Contains($"\"deployment\":\"{Web}\"", StringComparison.Ordinal)).ToList();
        alerts.ShouldNotBeEmpty("Alertmanager delivered the rule's alert");
        alerts.ShouldAllBe(a => a.GetRawText().Contains(EndToEndWorld.AlertName, StringComparison.Ordinal));
    }
}
