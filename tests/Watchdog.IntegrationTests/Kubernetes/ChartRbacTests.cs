using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Kubernetes;
using Watchdog.Leadership;
using Watchdog.Sandbox;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// The Helm chart's RBAC, enforced by the simulator: every Kubernetes action and the Lease election succeed under the
/// chart's service account with exactly the rules of <c>helm/watchdog/files/rbac-rules.yaml</c>; without any one rule,
/// some of them fail and say "forbidden" for that rule's verb and resource; and a Secret cannot be read.
/// </summary>
public sealed class ChartRbacTests
{
    [Fact]
    public async Task EveryAction_AndTheLease_UnderTheChartsRules_Succeed()
    {
        await using var cluster = await StartAsync(ChartRbac.Authorization());

        var failures = await TourAsync(cluster);

        failures.ShouldBeEmpty();
        cluster.Simulator.Get("v1", "Service", "default", "wakala")!["spec"]!["selector"]!["version"]!.GetValue<string>().ShouldBe("blue");
        cluster.Simulator.Get("coordination.k8s.io/v1", "Lease", "default", "watchdog")!["spec"]!["holderIdentity"]!.GetValue<string>().ShouldBe("", "taken, renewed, then released");
        cluster.Simulator.Get("coordination.k8s.io/v1", "Lease", "default", "watchdog")!["spec"]!["leaseDurationSeconds"]!.GetValue<int>().ShouldBe(1);
        (await cluster.EventsAsync()).Count.ShouldBeGreaterThanOrEqualTo(10);
    }

    public static TheoryData<string> RuleNames()
    {
        var names = new TheoryData<string>();
        foreach (var (name, _) in ChartRbac.Rules)
        {
            names.Add(name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public async Task WithoutAnyOneRule_SomeActionFails_SayingForbiddenForThatRule(string rule)
    {
        var removed = ChartRbac.Rules.Single(r => r.Name == rule).Rule;
        await using var cluster = await StartAsync(ChartRbac.Authorization(without: rule));

        var failures = await TourAsync(cluster);

        var expected = removed.Verbs.SelectMany(v => removed.Resources.Select(r => $"is forbidden: User \"{ChartRbac.User}\" cannot {v} resource \"{r}\"")).ToList();
        failures.ShouldContain(f => expected.Any(e => f.Contains(e, StringComparison.Ordinal)), $"removing {rule} should make an action fail with one of: {string.Join(" | ", expected)}; failures: {string.Join(" | ", failures)}");
    }

    [Fact]
    public async Task ASecret_IsRefusedWithTheApiServersForbiddenStatus()
    {
        await using var cluster = await StartAsync(ChartRbac.Authorization());

        var read = await Should.ThrowAsync<KubernetesStatusException>(() => cluster.Connection.Client.GetRawAsync("/api/v1/namespaces/default/secrets/db-password", CancellationToken.None));
        var list = await Should.ThrowAsync<KubernetesStatusException>(() => cluster.Connection.Client.GetRawAsync("/api/v1/namespaces/default/secrets", CancellationToken.None));

        read.Code.ShouldBe(403);
        read.Message.ShouldContain("""secrets "db-password" is forbidden: User "system:serviceaccount:watchdog:watchdog" cannot get resource "secrets" in API group "" in the namespace "default" """.TrimEnd());
        list.Message.ShouldContain("""secrets is forbidden: User "system:serviceaccount:watchdog:watchdog" cannot list resource "secrets" in API group "" in the namespace "default" """.TrimEnd());
        // Discovery stays open, as on a real cluster; the admin (no token) is not held to the rules.
        (await cluster.Connection.Client.GetRawAsync("/version", CancellationToken.None)).ShouldContain("gitVersion");
        (await cluster.Admin.Client.GetRawAsync("/api/v1/namespaces/default/configmaps", CancellationToken.None)).ShouldContain("ConfigMapList");
    }

    private static async Task<SimulatedCluster> StartAsync(Sandbox.Kubernetes.SimulatorAuthorization authorization)
    {
        var cluster = await SimulatedCluster.StartAsync(authorization, SandboxCommand.DbStatefulSet, SandboxCommand.AgentDaemonSet);
        cluster.Simulator.Create("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"wakala","namespace":"default"},"spec":{"selector":{"app":"wakala","version":"green"},"ports":[{"port":80}]}}
            """);
        cluster.CreatePod("wakala-blue-1", "wakala", "blue", ready: true);
        cluster.Simulator.Create("""
            {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"wakala","namespace":"default"},
             "spec":{"hosts":["wakala"],"http":[{"route":[{"destination":{"host":"wakala","subset":"stable"},"weight":80},{"destination":{"host":"wakala","subset":"canary"},"weight":20}]}]}}
            """);
        cluster.Simulator.Create("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"wakala-config","namespace":"default"},"data":{"CIRCUIT_BREAKER_ENABLED":"false"}}""");

        // A second revision of each workload, made by the admin, so that each undo has somewhere to go.
        foreach (var (path, container) in new[] { ("deployments/checkout", "checkout"), ("statefulsets/db", "db"), ("daemonsets/node-agent", "agent") })
        {
            var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"C","image":"C:2"}]}}}}""".Replace("C", container, StringComparison.Ordinal);
            await cluster.Admin.Client.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/default/{path}", patch, "application/strategic-merge-patch+json", CancellationToken.None);
        }

        await cluster.Simulator.SettleAsync(CancellationToken.None);
        return cluster;
    }

    /// <summary>Every action once, then the Lease taken, renewed and released: what failed, and every Event that could not be posted.</summary>
    private static async Task<List<string>> TourAsync(SimulatedCluster cluster)
    {
        var connection = cluster.Connection;
        var steps = new (IRollbackAction Action, Dictionary<string, string> Parameters)[]
        {
            (new DeploymentUndoAction(connection), new() { ["deployment"] = "checkout" }),
            (new StatefulSetUndoAction(connection), new() { ["statefulset"] = "db" }),
            (new DaemonSetUndoAction(connection), new() { ["daemonset"] = "node-agent" }),
            (new ScaleAction(connection), new() { ["deployment"] = "checkout", ["replicas"] = "+1" }),
            (new ScaleAction(connection), new() { ["statefulset"] = "db", ["replicas"] = "+1" }),
            (new StopWritesAction(connection), new() { ["deployment"] = "checkout" }),
            (new RestoreReplicasAction(connection), new() { ["deployment"] = "checkout" }),
            (new ServiceSelectorSwitchAction(connection), new() { ["service"] = "wakala", ["selector"] = "version=blue" }),
            (new VirtualServiceWeightsAction(connection), new() { ["virtualservice"] = "wakala", ["stable_subset"] = "stable" }),
            (new ConfigMapPatchAction(connection), new() { ["configmap"] = "wakala-config", [ConfigMapPatch.DataPrefix + "CIRCUIT_BREAKER_ENABLED"] = "true" }),
            (new RolloutRestartAction(connection), new() { ["deployment"] = "checkout" }),
            (new RolloutWaitAction(connection), new() { ["deployment"] = "checkout", ["timeout"] = "60s", ["poll"] = "50ms" }),
        };
        var failures = new List<string>();
        foreach (var (action, parameters) in steps)
        {
            var result = await cluster.RunAsync(action, parameters);
            if (!result.Succeeded)
            {
                failures.Add($"{action.Name}: {result.Summary}");
            }
        }

        failures.AddRange(cluster.Progress.Zip(cluster.ProgressDetails).Where(p => p.First.Contains("not posted", StringComparison.Ordinal)).Select(p => $"{p.First}: {p.Second}"));

        var lease = new KubernetesLeaseLock(connection, "default", "watchdog", "watchdog-0", TimeSpan.FromSeconds(15), TimeProvider.System);
        foreach (var attempt in new[] { "take", "renew" })
        {
            var taken = await lease.TryAcquireOrRenewAsync(CancellationToken.None);
            if (!taken.Held)
            {
                failures.Add($"lease {attempt}: {taken.Error}");
            }
        }

        // Released on shutdown (a PUT too); a refusal here is swallowed by design, so the test reads the Lease back.
        await lease.ReleaseAsync(CancellationToken.None);
        return failures;
    }
}
