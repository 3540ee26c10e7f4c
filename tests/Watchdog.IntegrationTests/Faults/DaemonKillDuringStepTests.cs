using System.Text.Json;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A real daemon killed with SIGKILL while a plan step is under way, then started again on the same SQLite store. A
/// step that is not idempotent (an undo, a webhook that starts a job) is reported interrupted and never repeated,
/// even though nothing stands in the way of repeating it after the restart; an idempotent one (rollout-wait) runs
/// again and the run finishes. PATCHes are counted where the simulator receives them, to show exactly-once.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class DaemonKillDuringStepTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Web = "web";
    private readonly TempDirectory _dir = new();
    private ProxiedCluster _cluster = null!;
    private FakePrometheus _prometheus = null!;
    private RecordingReceiver _receiver = null!;

    private static readonly string DeploymentPath = ProxiedCluster.DeploymentPath(Web);

    public async Task InitializeAsync()
    {
        _cluster = await ProxiedCluster.StartAsync();
        await _cluster.DeployBadReleaseAsync(Web);
        _prometheus = await FakePrometheus.StartAsync();
        _prometheus.Default = PrometheusAnswer.Vector(0.5); // the breach goes on all along, before and after the restart
        _receiver = await RecordingReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _prometheus.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task KillDuringDeploymentUndo_RunIsReportedInterruptedAfterRestart_AndTheUndoIsNotRepeated()
    {
        // The undo's PATCH is held at the API server's door, so the kill lands while the step is under way.
        _cluster.Proxy.Inject(KubernetesFault.Delayed("PATCH", DeploymentPath, Timeout.InfiniteTimeSpan));
        await using var daemon = await StartDaemonAsync("[{action: deployment-undo, deployment: web, namespace: faults}]");
        using var api = new DaemonApi(daemon);
        await api.UntilAsync(() => Task.FromResult(_cluster.Proxy.RequestsTo("PATCH", DeploymentPath).Count == 1), "the undo's PATCH arrived");
        await api.StepAsync(Web, 0, "started");

        await daemon.KillAsync();
        _cluster.Proxy.Heal(); // from now on an undo would go through: only Watchdog's recovery keeps it from a second one
        await daemon.StartAgainAsync();

        var run = await api.RunOfAsync(Web, "interrupted", "succeeded", "failed");
        await AssertInterruptedAsync(api, run, "deployment-undo");
        _cluster.Proxy.RequestsTo("PATCH", DeploymentPath).Count.ShouldBe(1, "the undo was not sent again");
        _cluster.PatchesReceived(Web).ShouldBe(0);
        _cluster.ImageOf(Web).ShouldBe($"web:{ProxiedCluster.BadImageTag}");
    }

    [Fact]
    public async Task KillDuringAWebhookStep_RunIsReportedInterruptedAfterRestart_AndTheWebhookIsNotCalledAgain()
    {
        var job = _receiver.Endpoint("restore-job", ReceiverAnswer.Hang, ReceiverAnswer.Ok);
        await using var daemon = await StartDaemonAsync($"[{{action: webhook, url: \"{job}\"}}, {{action: deployment-undo, deployment: web, namespace: faults}}]");
        using var api = new DaemonApi(daemon);
        await api.UntilAsync(() => Task.FromResult(_receiver.RequestsTo("restore-job").Count == 1), "the webhook step called the job");

        await daemon.KillAsync();
        await daemon.StartAgainAsync();

        var run = await api.RunOfAsync(Web, "interrupted", "succeeded", "failed");
        await AssertInterruptedAsync(api, run, "webhook");
        run.GetProperty("steps")[1].GetProperty("status").GetString().ShouldBe("not-run");
        _receiver.RequestsTo("restore-job").Count.ShouldBe(1, "the job was not started a second time");
        _cluster.Proxy.RequestsTo("PATCH", DeploymentPath).ShouldBeEmpty("the rest of the plan did not run");
        _cluster.ImageOf(Web).ShouldBe($"web:{ProxiedCluster.BadImageTag}");
    }

    [Fact]
    public async Task KillDuringRolloutWait_TheIdempotentStepIsResumedAfterRestart_AndTheUndoRanExactlyOnce()
    {
        // The undone deployment's pods never become ready, so rollout-wait waits until the kill.
        _cluster.Simulator.FailRollouts(ProxiedCluster.Namespace, Web);
        await using var daemon = await StartDaemonAsync("[{action: deployment-undo, deployment: web, namespace: faults}, {action: rollout-wait, deployment: web, namespace: faults, timeout: 120s, poll: 200ms}]");
        using var api = new DaemonApi(daemon);
        await api.StepAsync(Web, 1, "started");
        var reads = _cluster.Proxy.RequestsTo("GET", DeploymentPath).Count;
        await api.UntilAsync(() => Task.FromResult(_cluster.Proxy.RequestsTo("GET", DeploymentPath).Count > reads + 1), "rollout-wait polled the deployment");

        await daemon.KillAsync();
        _cluster.Simulator.HealRollouts(ProxiedCluster.Namespace, Web);
        await daemon.StartAgainAsync();

        var finished = await api.RunOfAsync(Web, "succeeded", "failed", "interrupted");
        output.WriteLine(finished.ToString());
        finished.GetProperty("status").GetString().ShouldBe("succeeded", finished.ToString());
        var steps = finished.GetProperty("steps");
        steps[0].GetProperty("attempts").GetInt32().ShouldBe(1, "the undo ran once");
        steps[1].GetProperty("status").GetString().ShouldBe("succeeded");
        steps[1].GetProperty("attempts").GetInt32().ShouldBe(2, "rollout-wait ran again after the restart");
        var report = (await api.ReportOfAsync(Web))!.Value;
        DaemonApi.Timeline(report, "step-resumed").ShouldHaveSingleItem().ShouldContain("step 2 (rollout-wait) was under way when Watchdog stopped; it is idempotent, so it runs again");
        _cluster.PatchesReceived(Web).ShouldBe(1, "exactly one undo reached the API server");
        _cluster.ImageOf(Web).ShouldBe($"web:{ProxiedCluster.GoodImageTag}");
    }

    [Fact]
    public async Task KillDuringRolloutWait_TheResumedStepWaitsOnlyTheTimeLeft()
    {
        // The rollout never completes: rollout-wait can only end at its 20 s timeout. Killed 12 s in and restarted,
        // it must end about 20 s after it first started; restarting the whole timeout would end it 32 s or more after.
        _cluster.Simulator.FailRollouts(ProxiedCluster.Namespace, Web);
        await using var daemon = await StartDaemonAsync("[{action: deployment-undo, deployment: web, namespace: faults}, {action: rollout-wait, deployment: web, namespace: faults, timeout: 20s, poll: 200ms}]");
        using var api = new DaemonApi(daemon);
        var waiting = await api.StepAsync(Web, 1, "started");
        var firstStart = waiting.GetProperty("steps")[1].GetProperty("startedAt").GetDateTimeOffset();
        await Task.Delay(TimeSpan.FromSeconds(12));

        await daemon.KillAsync();
        await daemon.StartAgainAsync();

        var finished = await api.RunOfAsync(Web, "succeeded", "failed", "interrupted");
        output.WriteLine(finished.ToString());
        finished.GetProperty("status").GetString().ShouldBe("failed", finished.ToString());
        var step = finished.GetProperty("steps")[1];
        step.GetProperty("attempts").GetInt32().ShouldBe(2, "rollout-wait ran again after the restart");
        step.GetProperty("error").GetString().ShouldNotBeNull().ShouldContain("timed out after 20s");
        step.GetProperty("startedAt").GetDateTimeOffset().ShouldBe(firstStart, "the step keeps its first start");
        var waited = step.GetProperty("completedAt").GetDateTimeOffset() - firstStart;
        waited.ShouldBeLessThan(TimeSpan.FromSeconds(29), $"ended {waited} after its first start: the time left was waited, not the timeout again");
        var report = (await api.ReportOfAsync(Web))!.Value;
        DaemonApi.Timeline(report, "step-progress").ShouldContain(p => p.Contains("resumed with", StringComparison.Ordinal) && p.Contains("left of its 20s timeout", StringComparison.Ordinal));
    }

    /// <summary>Interrupted, said on the timeline and to on-call; and, several evaluations of the ongoing breach later, still no second run.</summary>
    private async Task AssertInterruptedAsync(DaemonApi api, JsonElement run, string action)
    {
        output.WriteLine(run.ToString());
        run.GetProperty("status").GetString().ShouldBe("interrupted", run.ToString());
        run.GetProperty("reason").GetString().ShouldBe($"step 1 ({action}) was under way when Watchdog stopped and may or may not have taken effect");
        var step = run.GetProperty("steps")[0];
        step.GetProperty("status").GetString().ShouldBe("interrupted");
        step.GetProperty("attempts").GetInt32().ShouldBe(1);

        var report = (await api.ReportOfAsync(Web))!.Value;
        DaemonApi.Timeline(report, "step-interrupted").ShouldHaveSingleItem().ShouldContain("it is not repeated: check its effect by hand");
        var incidentId = report.GetProperty("incident").GetProperty("id").GetInt64();
        await api.UntilAsync(
            () => Task.FromResult(_receiver.RequestsTo("notify").Any(n => n.Body.Contains("\"title\":\"ROLLBACK ISSUES DETECTED\"", StringComparison.Ordinal) && n.Body.Contains($"\"incident_id\":{incidentId}", StringComparison.Ordinal))),
            "on-call was told (ROLLBACK ISSUES DETECTED)");

        // The breach goes on after the restart: the rollback is decided again and held back by the cooldown, not run.
        await api.UntilAsync(
            async () => (await api.ReportOfAsync(Web))!.Value.GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("status").GetString() == "skipped" && r.GetProperty("reason").GetString()!.StartsWith("cooldown:", StringComparison.Ordinal)),
            "the rollback decided again after the restart was held back by the cooldown");
        var now = (await api.TargetAsync(Web)).GetProperty("evaluations").GetInt64();
        await api.EvaluatedAsync(Web, (int)now + 6);
        var later = (await api.ReportOfAsync(Web))!.Value;
        DaemonApi.ExecutedRuns(later).Count().ShouldBe(1, later.GetProperty("runs").ToString());
    }

    private Task<DaemonProcess> StartDaemonAsync(string plan)
    {
        _dir.Write("kubeconfig.yaml", _cluster.Kubeconfig);
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            kubernetes: {kubeconfig: kubeconfig.yaml}
            sources:
              prometheus: {url: "{{{_prometheus.Url}}}", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            notifications:
              - {name: on-call, kind: webhook, url: "{{{_receiver.Endpoint("notify")}}}"}
            defaults: {interval: 300ms, dry_run: false}
            targets:
              - name: web
                policy: error-rate
                plans:
                  rollback: {{{plan}}}
            """);
        return DaemonProcess.StartAsync(config, output);
    }
}
