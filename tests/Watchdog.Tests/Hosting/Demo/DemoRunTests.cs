using System.Text.Json;
using System.Text.RegularExpressions;
using Watchdog.Hosting;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Hosting.Demo;

/// <summary>
/// <c>watchdog demo</c> through the CLI, as the README's first command runs it, on the shipped <c>config/demo.yaml</c>.
/// One run with <c>--keep-running</c> serves both the scenarios and the kept world: a run takes over a minute.
/// </summary>
public sealed partial class DemoRunTests : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly TextWriter _sharedOutput;
    private readonly StringWriter _error = new();
    private readonly TempDirectory _data = new();

    // The demo writes while the test reads: the synchronized wrapper locks itself around each write, so reading
    // under the same lock never sees a half-appended buffer.
    public DemoRunTests() => _sharedOutput = TextWriter.Synchronized(_output);

    private string Output()
    {
        lock (_sharedOutput)
        {
            return _output.ToString();
        }
    }

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Demo_PlaysTheFiveScenarios_GoodBadDegradedMemoryLeakAndBadRollbackTarget_AsTheRunbookSays_AndEachIncidentClosesWithAReport()
    {
        using var stop = new CancellationTokenSource();
        var demo = new WatchdogCli().InvokeAsync(
            ["demo", "--config", RepositoryPaths.Of("config", "demo.yaml"), "--data", _data.Path, "--keep-running"], _sharedOutput, _error, stop.Token);
        await Eventually.HoldsAsync(() => Task.FromResult(demo.IsCompleted || Output().Contains("press Ctrl+C to stop", StringComparison.Ordinal)), "the scenarios played", TimeSpan.FromMinutes(4));
        await KeptWorldAnswersAsync(Output());
        await stop.CancelAsync();
        var exit = await demo;

        var text = Output();
        exit.ShouldBe(0, text + _error);
        text.ShouldContain("Demo finished: every scenario went as the runbook says.");
        text.ShouldEndWith("Stopped." + Environment.NewLine);
        text.ShouldContain("Time is compressed");
        text.ShouldContain("good release left alone: no incident, checkout:1.1 keeps running");
        text.ShouldContain("runs checkout:2.0-bad (revision 3)");
        text.ShouldContain("sees error_rate 12.0%");
        text.ShouldContain("checkout-v2 is on at 25 %");
        text.ShouldContain("checkout-v2 reduced 50 % → 0 % and disabled");
        text.ShouldContain("checkout-v2 is off (rollout 0 %)");
        text.ShouldContain("rolled back deployment/default/checkout from revision 3 to revision 2");
        text.ShouldContain("runs checkout:1.1 (revision 4)", customMessage: "the undo renumbers revision 2 as kubectl does");
        text.ShouldContain("incident 1 is closed (recovered)");
        text.IndexOf("flag-reduce succeeded", StringComparison.Ordinal).ShouldBeLessThan(
            text.IndexOf("deployment-undo succeeded", StringComparison.Ordinal), "the flag first, the undo after");
        text.ShouldContain("runs checkout:2.1 (revision 5)");
        text.ShouldContain("decides: rollback by error-rate-high (on-call)");
        text.ShouldContain("demo-on-call approves request 1 through POST /api/v1/approvals/1/approve: 200 OK");
        text.ShouldContain("Approval 1 (rollback) approved by demo-on-call");
        text.ShouldContain("rolled back deployment/default/checkout from revision 5 to revision 4");
        text.ShouldContain("incident 2 is closed (recovered)");
        foreach (var report in (string[])["incident-1.md", "incident-2.md", "incident-3.md", "incident-4.md"])
        {
            var path = Path.Combine(_data.Path, "reports", report);
            text.ShouldContain(path);
            File.Exists(path).ShouldBeTrue();
        }

        MemoryLeakEscalatedThenApproved(text, Report(3));
        BadRollbackTargetReportedNotRepeatedAndFixedByHand(text, Report(4));
    }

    // Memory past 95 %: the memory row wants the on-call engineer; nobody answers, the request escalates to the next
    // level of the runbook's chain, and the senior engineer it paged approves.
    private static void MemoryLeakEscalatedThenApproved(string text, JsonElement report)
    {
        text.ShouldContain("runs checkout:2.2-leak (revision 7)");
        text.ShouldContain("sees memory_utilization 99%");
        text.ShouldContain("decides: rollback by memory-exhausted (on-call)");
        text.ShouldContain("incident 3 approval-requested: Approval 2 requested: rollback needs on-call or above; notified on-call");
        var escalated = text.IndexOf("incident 3 approval-escalated: Approval 2 unanswered for ", StringComparison.Ordinal);
        escalated.ShouldBeGreaterThan(0, text);
        text[escalated..].ShouldContain("escalated to level 1, notified senior-engineer, engineering-manager");
        text.ShouldContain("incident 3 APPROVAL ESCALATED: Required Authority: on-call; Escalation Level: 1");
        text.ShouldContain("Now Notified: senior-engineer, engineering-manager");
        text.IndexOf("demo-senior-engineer, paged by the escalation, approves request 2", StringComparison.Ordinal).ShouldBeGreaterThan(escalated, "approved after the escalation, not before");
        text.ShouldContain("Approval 2 (rollback) approved by demo-senior-engineer");
        text.ShouldContain("rolled back deployment/default/checkout from revision 7 to revision 6");
        text.ShouldContain("incident 3 is closed (recovered)");

        report.GetProperty("incident").GetProperty("triggerRule").GetString().ShouldBe("memory-exhausted");
        report.GetProperty("incident").GetProperty("closeReason").GetString().ShouldBe("recovered");
        var approval = report.GetProperty("approvals").EnumerateArray().ShouldHaveSingleItem();
        (approval.GetProperty("status").GetString(), approval.GetProperty("decidedBy").GetString(), approval.GetProperty("escalationLevel").GetInt32())
            .ShouldBe(("approved", "demo-senior-engineer", 1));
    }

    // Two bad releases in a row: the undo lands on the first, still bad; Watchdog says so and does not run its plan
    // again; the on-call engineer's release of the last good image fixes it, and the incident closes.
    private static void BadRollbackTargetReportedNotRepeatedAndFixedByHand(string text, JsonElement report)
    {
        text.ShouldContain("runs checkout:3.0.1-bad (revision 10)");
        text.ShouldContain("rolled back deployment/default/checkout from revision 10 to revision 9");
        text.ShouldContain("runs checkout:3.0-bad (revision 11)");
        text.ShouldContain("incident 4 not-recovered: checkout is still not healthy");
        text.ShouldContain("incident 4 ROLLBACK ISSUES DETECTED: Current Version: checkout:3.0-bad (revision 11, was 9)");
        text.ShouldContain("escalated to senior-engineer, engineering-manager");
        text.ShouldContain("not repeated: rollback already ran to the end in this incident (run 4)");
        Regex.Count(text, "incident 4 action-planned").ShouldBe(1, "the plan ran once in the incident");
        text.ShouldContain("demo-on-call releases the last good image by hand: kubectl set image deployment/checkout checkout=checkout:1.1");
        text.ShouldContain("incident 4 is closed (recovered)");
        var complete = CompleteLine().Match(text);
        complete.Success.ShouldBeTrue(text);
        complete.Value.ShouldNotContain("Current Version", customMessage: "the undo's landing is not what runs after the fix by hand");

        var incident = report.GetProperty("incident");
        incident.GetProperty("closeReason").GetString().ShouldBe("recovered");
        incident.GetProperty("afterState").GetString().ShouldBe("checkout:3.0-bad (revision 11, was 9)");
        report.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ShouldBe(["succeeded", "skipped"]);
    }

    private JsonElement Report(int incident)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_data.Path, "reports", $"incident-{incident}.json")));
        return report.RootElement.Clone();
    }

    [Fact]
    public async Task Demo_ConfigMissing_SaysWhereItLookedAndExitsOne()
    {
        var missing = Path.Combine(_data.Path, "no-such-demo.yaml");

        var exit = await new WatchdogCli().InvokeAsync(["demo", "--config", missing, "--data", _data.Path], _output, _error);

        exit.ShouldBe(1);
        _error.ToString().ShouldContain("configuration file not found");
        _error.ToString().ShouldContain("the demo does not start");
    }

    // --keep-running: the daemon's API and the simulator (as kubectl --server reaches it) answer at the URLs printed.
    private static async Task KeptWorldAnswersAsync(string text)
    {
        text.ShouldContain("Still running (--keep-running)", customMessage: text);
        using var http = new HttpClient();
        var api = ApiLine().Match(text).Groups["url"].Value;
        using var target = JsonDocument.Parse(await http.GetStringAsync(new Uri($"{api}api/v1/targets/checkout")));
        target.RootElement.GetProperty("name").GetString().ShouldBe("checkout");
        (await http.GetStringAsync(new Uri($"{api}metrics"))).ShouldContain("watchdog_");
        var server = KubectlLine().Match(text).Groups["server"].Value;
        var deployment = await http.GetStringAsync(new Uri($"{server}/apis/apps/v1/namespaces/default/deployments/checkout"));
        deployment.ShouldContain("checkout:1.1");
    }

    [GeneratedRegex(@"incident 4 ROLLBACK COMPLETE.*")]
    private static partial Regex CompleteLine();

    [GeneratedRegex(@"Watchdog API\s+(?<url>http://127\.0\.0\.1:\d+/)api/v1/targets")]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"kubectl --server (?<server>http://127\.0\.0\.1:\d+) rollout history")]
    private static partial Regex KubectlLine();
}
