using System.Text.Json;
using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.HighAvailability;

/// <summary>
/// Issue 15's "Done when", with three real daemon processes on one real PostgreSQL and the Kubernetes simulator (behind a
/// proxy that counts and can hold requests), for both lock backends: the leader killed with SIGKILL mid-rollback is
/// replaced within the lease and the deployment is undone exactly once; a leader frozen with SIGSTOP past its lease is
/// replaced, and on SIGCONT none of its late writes lands, in the store or at the API server, and it says it stepped down.
/// </summary>
[Collection(PostgresTestGroup.Name)]
public sealed class LeaderFailoverTests(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Web = "web";
    private static readonly string DeploymentPath = ProxiedCluster.DeploymentPath(Web);
    private static readonly string ReplicaSetsPath = $"/apis/apps/v1/namespaces/{ProxiedCluster.Namespace}/replicasets";
    private readonly TempDirectory _dir = new();
    private ProxiedCluster _cluster = null!;
    private FakePrometheus _prometheus = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ProxiedCluster.StartAsync();
        await _cluster.DeployBadReleaseAsync(Web);
        _prometheus = await FakePrometheus.StartAsync();
        _prometheus.Default = PrometheusAnswer.Vector(0.01); // healthy until every replica is up; the test starts the breach
    }

    public async Task DisposeAsync()
    {
        await _prometheus.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("postgres")]
    public async Task LeaderKilledDuringRolloutWait_AnotherLeadsWithinTheLease_AndTheDeploymentIsUndoneExactlyOnce(string backend)
    {
        _cluster.Simulator.FailRollouts(ProxiedCluster.Namespace, Web);
        await using var replicas = await Replicas.StartAsync(
            await ConfigAsync(backend, "[{action: deployment-undo, deployment: web, namespace: faults}, {action: rollout-wait, deployment: web, namespace: faults, timeout: 120s, poll: 200ms}]"),
            3,
            output);
        var leader = await replicas.LeaderAsync();
        _prometheus.Default = PrometheusAnswer.Vector(0.5);
        await replicas.Api(leader).StepAsync(Web, 1, "started");

        await replicas.Daemon(leader).KillAsync();
        _cluster.Simulator.HealRollouts(ProxiedCluster.Namespace, Web);
        var others = Enumerable.Range(0, 3).Where(i => i != leader).ToList();
        var next = await replicas.LeaderAsync(others, TimeSpan.FromSeconds(30));

        var api = replicas.Api(next);
        var finished = await api.RunOfAsync(Web, "succeeded", "failed", "interrupted");
        output.WriteLine(finished.ToString());
        finished.GetProperty("status").GetString().ShouldBe("succeeded", finished.ToString());
        finished.GetProperty("steps")[0].GetProperty("attempts").GetInt32().ShouldBe(1, "the undo ran once");
        finished.GetProperty("steps")[1].GetProperty("attempts").GetInt32().ShouldBe(2, "rollout-wait was resumed by the new leader");
        _cluster.PatchesReceived(Web).ShouldBe(1, "exactly one undo reached the API server");
        _cluster.ImageOf(Web).ShouldBe($"web:{ProxiedCluster.GoodImageTag}");
        var report = (await api.ReportOfAsync(Web))!.Value;
        DaemonApi.Timeline(report, "took-over").ShouldHaveSingleItem().ShouldStartWith($"replica-{next} took over from replica-{leader} at epoch ");
        var ha = await replicas.HaAsync(others.Single(i => i != next));
        ha.GetProperty("role").GetString().ShouldBe("follower");
        ha.GetProperty("leader").GetProperty("identity").GetString().ShouldBe($"replica-{next}");
    }

    [Fact]
    public async Task LeaderTerminatedDuringAStep_FinishesIt_ExitsCleanly_AndAnotherLeadsAndRunsTheNextStep()
    {
        // Issue 15, item 5: rollout-wait is under way when the leader gets SIGTERM; the rollout completes a moment
        // later, within ha.shutdown_grace, so the step ends on the old leader and the plan's next step on the new one.
        _cluster.Simulator.FailRollouts(ProxiedCluster.Namespace, Web);
        await using var replicas = await Replicas.StartAsync(
            await ConfigAsync("postgres", "[{action: deployment-undo, deployment: web, namespace: faults}, {action: rollout-wait, deployment: web, namespace: faults, timeout: 120s, poll: 200ms}, {action: notify-only}]"),
            2,
            output);
        var leader = await replicas.LeaderAsync();
        _prometheus.Default = PrometheusAnswer.Vector(0.5);
        await replicas.Api(leader).StepAsync(Web, 1, "started");

        var terminated = replicas.Daemon(leader).TerminateAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        _cluster.Simulator.HealRollouts(ProxiedCluster.Namespace, Web);
        (await terminated).ShouldBe(0, "the old leader exited by itself, cleanly");
        replicas.Daemon(leader).Log.ShouldContain("paused before step 3");

        var next = await replicas.LeaderAsync([1 - leader], TimeSpan.FromSeconds(30));
        var finished = await replicas.Api(next).RunOfAsync(Web, "succeeded", "failed", "interrupted");
        output.WriteLine(finished.ToString());
        finished.GetProperty("status").GetString().ShouldBe("succeeded", finished.ToString());
        var steps = finished.GetProperty("steps");
        steps[1].GetProperty("status").GetString().ShouldBe("succeeded");
        steps[1].GetProperty("attempts").GetInt32().ShouldBe(1, "rollout-wait finished on the old leader, not resumed");
        steps[2].GetProperty("status").GetString().ShouldBe("succeeded", "the new leader ran the next step");
        _cluster.PatchesReceived(Web).ShouldBe(1, "exactly one undo reached the API server");
        var report = (await replicas.Api(next).ReportOfAsync(Web))!.Value;
        DaemonApi.Timeline(report, "step-interrupted").ShouldBeEmpty("a run paused between steps is continued, not reported interrupted");
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("postgres")]
    public async Task LeaderPausedPastItsLease_IsReplaced_AndOnWakingNoneOfItsLateWritesLands_AndItStepsDown(string backend)
    {
        // The undo's LIST of ReplicaSets is held at the API server's door: the leader is frozen while it waits, and the
        // answer is in its socket when it wakes, so its next move would be the PATCH.
        _cluster.Proxy.Inject(KubernetesFault.Delayed("GET", ReplicaSetsPath, TimeSpan.FromSeconds(4)));
        await using var replicas = await Replicas.StartAsync(await ConfigAsync(backend, "[{action: deployment-undo, deployment: web, namespace: faults}]"), 3, output);
        var old = await replicas.LeaderAsync();
        _prometheus.Default = PrometheusAnswer.Vector(0.5);

        // Two LISTs: the IN PROGRESS message's preview (which gives up after its own short timeout), then the undo's.
        await replicas.Api(old).UntilAsync(() => Task.FromResult(_cluster.Proxy.RequestsTo("GET", ReplicaSetsPath).Count >= 2 ? true : (bool?)null), "the undo's LIST arrived");
        await replicas.Daemon(old).PauseAsync();

        // Another replica leads and acts on the run from its journal (runs it, or reports it interrupted if its step
        // had started), and carries the plan to its end.
        var others = Enumerable.Range(0, 3).Where(i => i != old).ToList();
        var next = await replicas.LeaderAsync(others, TimeSpan.FromSeconds(30));
        var api = replicas.Api(next);
        var settled = await api.RunOfAsync(Web, "interrupted", "succeeded", "failed");
        var patches = _cluster.Proxy.RequestsTo("PATCH", DeploymentPath).Count;
        var image = _cluster.ImageOf(Web);
        var before = await TimelineAsync(api);

        await replicas.Daemon(old).ContinueAsync();
        await replicas.Api(old).UntilAsync(
            async () => (await replicas.HaAsync(old)).GetProperty("role").GetString() == "follower" ? true : (bool?)null,
            "the old leader says it is a follower");
        await replicas.Api(old).UntilAsync(
            () => Task.FromResult(replicas.Daemon(old).Log.Contains("stopped leading at epoch", StringComparison.Ordinal) ? true : (bool?)null),
            "the old leader logged that it stepped down");

        // Whatever it was doing when frozen (here: the undo waiting for its LIST) was stopped when its term ended, or
        // refused at its next write; give a late write the time to land, were one to get through.
        await Task.Delay(TimeSpan.FromSeconds(5));

        replicas.Daemon(old).Log.ShouldContain("its work is stopped and its late writes are refused");
        _cluster.Proxy.RequestsTo("PATCH", DeploymentPath).Count.ShouldBe(patches, "no PATCH of the old leader's reached the API server");
        patches.ShouldBeLessThanOrEqualTo(1, "the undo was sent at most once, by the new leader");
        _cluster.ImageOf(Web).ShouldBe(image);
        (await TimelineAsync(api)).ShouldBe(before, "nothing the old leader did after waking reached the store");
        var run = await api.RunOfAsync(Web, "interrupted", "succeeded", "failed");
        run.GetProperty("status").GetString().ShouldBe(settled.GetProperty("status").GetString());
        run.GetProperty("steps")[0].GetProperty("attempts").GetInt32().ShouldBe(settled.GetProperty("steps")[0].GetProperty("attempts").GetInt32());
    }

    // What a run writes on the web incident's timeline (its steps, their progress, the state saved), as kind: summary
    // lines; the new leader's later evaluations of the ongoing breach add other kinds, which are not the old leader's.
    private static async Task<IReadOnlyList<string>> TimelineAsync(DaemonApi api)
    {
        var report = (await api.ReportOfAsync(Web))!.Value;
        return
        [
            .. report.GetProperty("timeline").EnumerateArray()
                .Where(e => e.GetProperty("kind").GetString() is { } kind && (kind.StartsWith("step-", StringComparison.Ordinal) || kind is "state-saved" or "action-completed"))
                .Select(e => $"{e.GetProperty("kind").GetString()}: {e.GetProperty("summary").GetString()}"),
        ];
    }

    private async Task<string> ConfigAsync(string backend, string plan)
    {
        var database = await postgres.CreateDatabaseAsync();
        _dir.Write("kubeconfig.yaml", _cluster.Kubeconfig);
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        return _dir.Write("watchdog.yaml", $$$"""
            store: {kind: postgres, connection_string: "{{{database}}}"}
            kubernetes: {kubeconfig: kubeconfig.yaml}
            ha: {lock: {{{backend}}}, namespace: {{{ProxiedCluster.Namespace}}}, lease_duration: 3s, renew_deadline: 2s, retry_period: 500ms, shutdown_grace: 5s}
            sources:
              prometheus: {url: "{{{_prometheus.Url}}}", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            defaults: {interval: 300ms, dry_run: false}
            targets:
              - name: web
                policy: error-rate
                plans:
                  rollback: {{{plan}}}
            """);
    }
}
