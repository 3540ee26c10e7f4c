using System.Text.Json;
using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Flags;

/// <summary>
/// Issue 12 end to end: the daemon as a process, a real Unleash 8.2, a real Prometheus scraping an app whose error
/// ratio the test sets, and a flag-only target whose rollback plan is <c>flag-reduce</c> with holds of seconds. What
/// the reduction did is read back where it took effect: Unleash's Admin API, its event log, and its client API (which
/// lags ~1 s, so it is polled); and on the incident's timeline.
/// </summary>
[Collection(UnleashTestGroup.Name)]
public sealed class FlagEndToEndTests(UnleashServer unleash, PrometheusServer prometheus, ITestOutputHelper output)
    : IClassFixture<PrometheusServer>, IDisposable
{
    private const double High = 0.30;
    private const double Low = 0.001;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ErrorRateStaysHigh_ReducesThroughEveryStep_ThenDisables_AsUnleashAndItsClientsSee()
    {
        var target = await FlagGuardedTarget.CreateAsync(unleash, prometheus, High);
        await using var daemon = await target.StartDaemonAsync(_dir, $"[{{action: flag-reduce, flag: {target.Flag}, provider: unleash, until: \"flag_error_rate <= 0.02\", hold: 2s}}]", output);
        using var api = new DaemonApi(daemon);

        var run = await api.RunOfAsync(target.Flag, "succeeded", "failed", "interrupted");

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var step = run.GetProperty("steps")[0];
        step.GetProperty("status").GetString().ShouldBe("succeeded", step.ToString());
        (await target.RolloutsSetAsync()).ShouldBe([50, 25, 10, 5, 0], "Unleash's event log: each step once, in order");
        (await target.RolloutAsync()).ShouldBe("0");
        (await target.EnabledAsync()).ShouldBeFalse();
        var parameters = await target.ParametersAsync();
        parameters["stickiness"]!.GetValue<string>().ShouldBe(FlagGuardedTarget.Stickiness);
        parameters["groupId"]!.GetValue<string>().ShouldBe(target.GroupId);
        await api.UntilAsync(() => target.ClientSeesAsync((enabled, rollout) => !enabled && rollout == "0"), "an SDK in production sees the flag off at 0 %");

        var report = (await api.ReportOfAsync(target.Flag))!.Value;
        var progress = DaemonApi.Timeline(report, "step-progress");
        output.WriteLine(string.Join('\n', progress));
        int[] path = [100, 50, 25, 10, 5, 0];
        for (var i = 1; i < path.Length; i++)
        {
            progress.ShouldContain($"Reducing {target.Flag}: {path[i - 1]} % → {path[i]} % (step {i} of 5)");
            Checks(progress, path[i]).ShouldAllBe(c => c.EndsWith(": flag_error_rate <= 0.02 does not hold", StringComparison.Ordinal));
            Checks(progress, path[i]).ShouldNotBeEmpty($"a check at {path[i]} %");
        }

        progress.ShouldContain($"{target.Flag} read back from unleash: {target.Flag} off in {FlagGuardedTarget.Environment}");
        DaemonApi.Timeline(report, "step-succeeded").ShouldHaveSingleItem().ShouldContain($"{target.Flag} reduced 100 % → 0 % and disabled");
        report.GetProperty("incident").GetProperty("beforeState").GetString().ShouldBe($"{target.Flag} on at 100 %");
        report.GetProperty("incident").GetProperty("afterState").GetString().ShouldBe($"{target.Flag} off");
        var (status, metrics) = await api.GetAsync("metrics");
        status.ShouldBe(200);
        metrics.Split('\n').ShouldContain(line => line.StartsWith("watchdog_flag_rollout_percent{", StringComparison.Ordinal) && line.Contains($"flag=\"{target.Flag}\"", StringComparison.Ordinal) && line.EndsWith(" 0", StringComparison.Ordinal), metrics);
    }

    [Fact]
    public async Task ErrorRateRecoversAt10Percent_PausesThere_AndTheRestOfThePlanIsNotRun()
    {
        var target = await FlagGuardedTarget.CreateAsync(unleash, prometheus, High);
        await using var receiver = await RecordingReceiver.StartAsync();
        var undo = receiver.Endpoint("undo-job");
        await using var daemon = await target.StartDaemonAsync(
            _dir,
            $"[{{action: flag-reduce, flag: {target.Flag}, provider: unleash, until: \"flag_error_rate <= 0.02\", hold: 3s}}, {{action: webhook, url: \"{undo}\"}}]",
            output);
        using var api = new DaemonApi(daemon);

        // The app recovers once the flag serves only 10 % of users, within that step's hold.
        await api.UntilAsync(async () => await target.RolloutAsync() == "10", "Unleash's Admin API has the flag at 10 %");
        target.ErrorRatio(Low);
        var run = await api.RunOfAsync(target.Flag, "succeeded", "failed", "interrupted");

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("step 1 (flag-reduce) found the target recovered: pausing rollback at 10 %");
        var steps = run.GetProperty("steps");
        steps[0].GetProperty("status").GetString().ShouldBe("succeeded");
        steps[1].GetProperty("status").GetString().ShouldBe("not-run", steps[1].ToString());
        receiver.RequestsTo("undo-job").ShouldBeEmpty("the webhook after the flag step was not called");
        (await target.RolloutsSetAsync()).ShouldBe([50, 25, 10], "Unleash's event log: nothing below 10 %");
        (await target.RolloutAsync()).ShouldBe("10");
        (await target.EnabledAsync()).ShouldBeTrue();
        (await target.ParametersAsync())["groupId"]!.GetValue<string>().ShouldBe(target.GroupId);
        await api.UntilAsync(() => target.ClientSeesAsync((enabled, rollout) => enabled && rollout == "10"), "an SDK in production sees the flag on at 10 %");

        var report = (await api.ReportOfAsync(target.Flag))!.Value;
        var progress = DaemonApi.Timeline(report, "step-progress");
        output.WriteLine(string.Join('\n', progress));
        Checks(progress, 25).ShouldHaveSingleItem().ShouldEndWith(": flag_error_rate <= 0.02 does not hold");
        Checks(progress, 10).ShouldHaveSingleItem().ShouldEndWith(": flag_error_rate <= 0.02 holds");
        string.Join('\n', progress).ShouldNotContain("→ 5 %");
        DaemonApi.Timeline(report, "action-completed").ShouldHaveSingleItem().ShouldContain("pausing rollback at 10 %");
        DaemonApi.Timeline(report, "action-completed").Single().ShouldContain("not run: step 2 (webhook)");
        report.GetProperty("incident").GetProperty("afterState").GetString().ShouldBe($"{target.Flag} on at 10 %");
    }

    /// <summary>The checks made at <paramref name="percent"/>, as the timeline says them.</summary>
    private static List<string> Checks(IReadOnlyList<string> progress, int percent) =>
        [.. progress.Where(p => p.StartsWith($"check at {percent} %: ", StringComparison.Ordinal))];

    /// <summary>The detail of a timeline entry, parsed (the API serves it as the JSON text the step wrote).</summary>
    internal static JsonElement Detail(JsonElement entry)
    {
        var detail = entry.GetProperty("detail");
        if (detail.ValueKind != JsonValueKind.String)
        {
            return detail;
        }

        using var document = JsonDocument.Parse(detail.GetString()!);
        return document.RootElement.Clone();
    }
}
