using System.Text.Json;
using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Flags;

/// <summary>
/// A daemon killed with SIGKILL in the middle of a flag reduction (in the hold after the 25 % step), against a real
/// Unleash 8.2 and a real Prometheus, then started again on the same SQLite store: it resumes in that hold, waits
/// only what was left of it, then goes on to 10 %; Unleash's own event log shows the rollout never went back up.
/// </summary>
[Trait("Suite", "Faults")]
[Collection(UnleashTestGroup.Name)]
public sealed class FlagReductionKillTests(UnleashServer unleash, PrometheusServer prometheus, ITestOutputHelper output)
    : IClassFixture<PrometheusServer>, IDisposable
{
    // Long enough that the kill lands inside the 25 % hold on a loaded machine, short enough for a quick test.
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(6);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task KillDuringThe25PercentHold_ResumesInThatHold_ThenGoesOnTo10_NeverBackTo50()
    {
        var target = await FlagGuardedTarget.CreateAsync(unleash, prometheus, errorRatio: 0.30);
        await using var daemon = await target.StartDaemonAsync(
            _dir,
            $"[{{action: flag-reduce, flag: {target.Flag}, provider: unleash, until: \"flag_error_rate <= 0.02\", steps: \"50,25,10\", hold: {Hold.TotalSeconds}s}}]",
            output);
        using var api = new DaemonApi(daemon);
        var holding = await api.UntilAsync(
            async () => await ReportAsync(api, target) is { } report && Progress(report, "holding at 25 %") is [var entry, ..] ? entry : (JsonElement?)null,
            "the reduction holds at 25 %");
        var holdStartedAt = FlagEndToEndTests.Detail(holding).GetProperty("hold_started_at").GetDateTimeOffset();

        await daemon.KillAsync();
        (await target.RolloutAsync()).ShouldBe("25", "killed in the 25 % hold");
        await daemon.StartAgainAsync();

        var run = await api.RunOfAsync(target.Flag, "succeeded", "failed", "interrupted");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var step = run.GetProperty("steps")[0];
        step.GetProperty("attempts").GetInt32().ShouldBe(2, "the idempotent step ran again after the restart");
        (await target.RolloutsSetAsync()).ShouldBe([50, 25, 10], "Unleash's event log: after the restart 10 % came next, never 50 % again");
        (await target.RolloutAsync()).ShouldBe("10");
        (await target.EnabledAsync()).ShouldBeTrue();

        var final = (await ReportAsync(api, target))!.Value;
        output.WriteLine(string.Join('\n', DaemonApi.Timeline(final, "step-progress")));
        DaemonApi.Timeline(final, "step-resumed").ShouldHaveSingleItem().ShouldContain("step 1 (flag-reduce) was under way when Watchdog stopped; it is idempotent, so it runs again");
        var resumed = Progress(final, "resumed after a restart in the hold at 25 %").ShouldHaveSingleItem();
        resumed.GetProperty("summary").GetString().ShouldEndWith("left");
        FlagEndToEndTests.Detail(resumed).GetProperty("hold_started_at").GetDateTimeOffset().ShouldBe(holdStartedAt, "the hold kept its start: only the rest of it is waited");
        Progress(final, "50 % → 25 %").ShouldHaveSingleItem("the 25 % step was not made again");
        var to10 = Progress(final, "25 % → 10 %").ShouldHaveSingleItem();
        to10.GetProperty("at").GetDateTimeOffset().ShouldBeGreaterThanOrEqualTo(holdStartedAt + Hold, "10 % came only after the 25 % hold was over");
        Progress(final, "holding at 10 %").ShouldHaveSingleItem();
    }

    private static async Task<JsonElement?> ReportAsync(DaemonApi api, FlagGuardedTarget target) => await api.ReportOfAsync(target.Flag);

    private static IReadOnlyList<JsonElement> Progress(JsonElement report, string containing) =>
        [.. report.GetProperty("timeline").EnumerateArray().Where(e =>
            e.GetProperty("kind").GetString() == "step-progress" && e.GetProperty("summary").GetString()!.Contains(containing, StringComparison.Ordinal))];
}
