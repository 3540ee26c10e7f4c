using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.HighAvailability;

/// <summary>
/// Issue 15's "webhooks posted to a follower during a leader change are all stored and acted on once", with three real
/// daemon processes on one real PostgreSQL (advisory lock) and the Kubernetes simulator behind a counting proxy: targets
/// whose policy reads only an alert (<c>alert:BurstAlert &gt; 0</c>) are undone by the leader, exactly once, when the
/// alert reached another replica's intake.
/// </summary>
[Collection(PostgresTestGroup.Name)]
public sealed class FollowerWebhookTests(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Token = "follower-webhook-token";
    private readonly TempDirectory _dir = new();
    private ProxiedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ProxiedCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WebhookPostedToAFollower_IsStored_AndTheLeaderUndoesTheDeploymentOnce()
    {
        await using var replicas = await Replicas.StartAsync(await ConfigAsync(["web-0"]), 3, output);
        var leader = await replicas.LeaderAsync();
        var follower = replicas.Api(Enumerable.Range(0, 3).First(i => i != leader));

        // The leader has read its alerts (none yet) before the webhook arrives elsewhere: only the store can tell it.
        await replicas.Api(leader).EvaluatedAsync("web-0", 2);

        var posted = await follower.PostAsync("api/v1/alerts", new AlertBurst("web-0").Body(0), Token);

        posted.Status.ShouldBe(200, posted.Body);
        var run = await replicas.Api(leader).RunOfAsync("web-0", "succeeded", "failed", "interrupted");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        await AllActedOnceAsync(["web-0"]);
    }

    [Fact]
    public async Task WebhooksPostedToFollowersWhileTheLeaderIsKilled_AreAllStored_AndEachTargetIsUndoneOnce()
    {
        string[] targets = ["web-0", "web-1", "web-2", "web-3"];
        await using var replicas = await Replicas.StartAsync(await ConfigAsync(targets), 3, output);
        var leader = await replicas.LeaderAsync();
        var survivors = Enumerable.Range(0, 3).Where(i => i != leader).ToList();

        // No one leads for up to the lease (3 s): the notifications go to both survivors in turn, so whichever of them
        // leads next heard of half of them only through the store.
        await replicas.Daemon(leader).KillAsync();
        for (var i = 0; i < targets.Length; i++)
        {
            var posted = await replicas.Api(survivors[i % 2]).PostAsync("api/v1/alerts", new AlertBurst(targets[i]).Body(0), Token);
            posted.Status.ShouldBe(200, posted.Body);
        }

        var next = await replicas.LeaderAsync(survivors, TimeSpan.FromSeconds(30));
        var stored = (await replicas.Api(survivors.Single(i => i != next)).AlertsAsync(Token)).Select(a => a.GetProperty("fingerprint").GetString()).ToList();
        foreach (var target in targets)
        {
            new AlertBurst(target).Fingerprints(0).ShouldAllBe(f => stored.Count(s => s == f) == 1, $"{target}'s alerts are stored once");
            var run = await replicas.Api(next).RunOfAsync(target, "succeeded", "failed", "interrupted");
            run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        }

        await AllActedOnceAsync(targets);
    }

    private async Task AllActedOnceAsync(IReadOnlyList<string> targets)
    {
        // The alerts keep firing: give a second undo the time of several cycles to show, were one to be sent.
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var target in targets)
        {
            _cluster.PatchesReceived(target).ShouldBe(1, $"exactly one undo of {target} reached the API server");
            _cluster.ImageOf(target).ShouldBe($"{target}:{ProxiedCluster.GoodImageTag}");
        }
    }

    private async Task<string> ConfigAsync(IReadOnlyList<string> deployments)
    {
        foreach (var deployment in deployments)
        {
            await _cluster.DeployBadReleaseAsync(deployment);
        }

        var database = await postgres.CreateDatabaseAsync();
        _dir.Write("kubeconfig.yaml", _cluster.Kubeconfig);
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(name: "alerted", signal: "alert:BurstAlert", threshold: "0"));
        var targets = string.Join('\n', deployments.Select(name =>
            $"  - {{name: {name}, policy: alerted, alerts: {{match: {{burst: {name}}}}}, plans: {{rollback: [{{action: deployment-undo, deployment: {name}, namespace: {ProxiedCluster.Namespace}}}]}}}}"));
        return _dir.Write("watchdog.yaml", $$$"""
            store: {kind: postgres, connection_string: "{{{database}}}"}
            kubernetes: {kubeconfig: kubeconfig.yaml}
            ha: {lock: postgres, lease_duration: 3s, renew_deadline: 2s, retry_period: 500ms, shutdown_grace: 5s}
            sources:
              alertmanager: {bearer_token: "{{{Token}}}"}
            policies: [policy.yaml]
            defaults: {interval: 500ms, dry_run: false}
            targets:
            {{{targets}}}
            """);
    }
}
