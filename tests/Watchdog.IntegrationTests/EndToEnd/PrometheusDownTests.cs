using System.Text.Json;
using Watchdog.IntegrationTests.Faults;
using Watchdog.Sandbox.Demo;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// Scenario 2: a bad release that the real Prometheus has seen, and then Prometheus stops answering (SIGSTOP: it
/// accepts connections and says nothing, as a hung server does). The daemon cannot read the error rate, so it does
/// nothing, and its target says why: the signal is an error, the decision inconclusive.
/// </summary>
[Collection(EndToEndTestGroup.Name)]
public sealed class PrometheusDownTests(EndToEndWorld world, ITestOutputHelper output)
{
    private const string Web = "s2-web";

    [Fact]
    public async Task BreachWhilePrometheusDoesNotAnswer_NoActionIsTaken_AndTheTargetSaysTheSignalIsAnError()
    {
        await world.DeployAsync(Web);
        await world.ReleaseAsync(Web, SampleApp.BadImage);
        await Eventually.HoldsAsync(() => world.PrometheusSeesBreachAsync(Web), "Prometheus sees the breach", TimeSpan.FromSeconds(30));

        world.Prometheus.Pause();
        try
        {
            await using var daemon = await world.StartDaemonAsync(output, new EndToEndTarget(Web, $"[{EndToEndWorld.Undo(Web)}]"));
            var api = daemon.Api;
            var failing = await api.SignalAsync(Web, "error_rate", s => s.GetProperty("state").GetString() == "error", "an error");
            var target = await api.EvaluatedAsync(Web, (int)failing.GetProperty("evaluations").GetInt64() + 4);
            output.WriteLine(target.ToString());

            var signal = DaemonApi.Signal(target, "error_rate");
            signal.GetProperty("state").GetString().ShouldBe("error", target.ToString());
            signal.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace();
            signal.GetProperty("value").ValueKind.ShouldBe(JsonValueKind.Null);
            var decision = target.GetProperty("decision");
            decision.GetProperty("inconclusive").GetBoolean().ShouldBeTrue(target.ToString());
            decision.GetProperty("action").GetString().ShouldBe("none");
            decision.GetProperty("explanation").GetString().ShouldNotBeNull().ShouldContain("error_rate");
            target.GetProperty("openIncident").ValueKind.ShouldBe(JsonValueKind.Null);
            (await api.IncidentsOfAsync(Web)).ShouldBeEmpty();
            world.PatchesByWatchdog(Web).ShouldBe(0, "nothing was undone on data the daemon could not read");
            world.ImageOf(Web).ShouldBe(SampleApp.BadImage);
        }
        finally
        {
            world.Prometheus.Resume();
        }
    }
}
