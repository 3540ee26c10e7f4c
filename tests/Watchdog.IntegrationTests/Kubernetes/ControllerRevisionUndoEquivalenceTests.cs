using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// Watchdog's <c>statefulset-undo</c> and <c>daemonset-undo</c> against the real <c>kubectl rollout undo</c>: two
/// simulators brought to the same state (StatefulSet db and DaemonSet node-agent at revisions 1 to 3) by the same kubectl
/// commands, one undone by kubectl, the other by Watchdog; the objects left behind must be byte-identical and the
/// ControllerRevisions the same.
/// </summary>
public sealed class ControllerRevisionUndoEquivalenceTests : IAsyncLifetime
{
    private TwinClusters _twins = null!;

    public async Task InitializeAsync() => _twins = await TwinClusters.StartAsync(PrepareAsync, SandboxCommand.DbStatefulSet, SandboxCommand.AgentDaemonSet);

    public async Task DisposeAsync() => await _twins.DisposeAsync();

    [Theory]
    [InlineData("statefulset", "db", null)]
    [InlineData("statefulset", "db", "1")]
    [InlineData("daemonset", "node-agent", null)]
    [InlineData("daemonset", "node-agent", "1")]
    public async Task Undo_ByWatchdogAndByKubectl_LeavesTheSameObjectAndRevisions(string kind, string name, string? toRevision)
    {
        var (code, output, error) = await KubectlUndoAsync(kind, name, toRevision);
        var result = await UndoByWatchdogAsync(kind, name, toRevision);
        await _twins.KubectlSide.Simulator.SettleAsync(CancellationToken.None);
        await _twins.WatchdogSide.Simulator.SettleAsync(CancellationToken.None);

        code.ShouldBe(0, error);
        output.ShouldBe($"{kind}.apps/{name} rolled back\n");
        result.Succeeded.ShouldBeTrue(result.Summary);
        Object(_twins.WatchdogSide, kind, name).ShouldBe(Object(_twins.KubectlSide, kind, name));
        Revisions(_twins.WatchdogSide, name).ShouldBe(Revisions(_twins.KubectlSide, name));
        Revisions(_twins.WatchdogSide, name).Select(r => r.Revision).ShouldBe([toRevision is null ? 1 : 2, 3, 4]);
        result.RolledBackFrom.ShouldBe(new RevisionRef($"{kind}/default/{name}", _twins.WatchdogSide.Simulator.ControllerRevisionsOf("default", name).Single(r => r["revision"]!.GetValue<long>() == 3)["metadata"]!["name"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("statefulset", "db")]
    [InlineData("daemonset", "node-agent")]
    public async Task Undo_ToTheCurrentRevision_IsSkippedByBoth_AndChangesNothing(string kind, string name)
    {
        var before = Object(_twins.WatchdogSide, kind, name);
        var (code, output, error) = await KubectlUndoAsync(kind, name, "3");
        var result = await UndoByWatchdogAsync(kind, name, "3");

        code.ShouldBe(0, error);
        output.ShouldBe($"{kind}.apps/{name} skipped rollback (current template already matches revision 3)\n");
        result.Succeeded.ShouldBeTrue();
        result.Summary.ShouldBe("skipped rollback (current template already matches revision 3)");
        Object(_twins.WatchdogSide, kind, name).ShouldBe(before);
        Object(_twins.KubectlSide, kind, name).ShouldBe(before);
    }

    [Theory]
    [InlineData("statefulset", "db", "db")]
    [InlineData("daemonset", "node-agent", "agent")]
    public async Task A_template_with_characters_Go_escapes_is_still_recognised_as_current_by_both(string kind, string name, string container)
    {
        foreach (var side in new[] { _twins.KubectlSide, _twins.WatchdogSide })
        {
            var (setCode, _, setError) = await Kubectl(side).RunAsync("set", "env", $"{kind}/{name}", "-c", container, "URL=https://x/?a=1&b=<2>", "QUOTE=it's \"é\" + more");
            setCode.ShouldBe(0, setError);
            await side.Simulator.SettleAsync(CancellationToken.None);
        }

        var (code, output, error) = await KubectlUndoAsync(kind, name, "4");
        var result = await UndoByWatchdogAsync(kind, name, "4");

        code.ShouldBe(0, error);
        output.ShouldContain("skipped rollback");
        result.Summary.ShouldBe("skipped rollback (current template already matches revision 4)");
    }

    [Theory]
    [InlineData("statefulset", "db")]
    [InlineData("daemonset", "node-agent")]
    public async Task Undo_ToARevisionThatDoesNotExist_FailsForBoth(string kind, string name)
    {
        var (code, _, error) = await KubectlUndoAsync(kind, name, "9");
        var result = await UndoByWatchdogAsync(kind, name, "9");

        code.ShouldBe(1);
        error.ShouldBe("error: unable to find specified revision 9 in history\n");
        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("unable to find specified revision 9 in history");
    }

    private static async Task PrepareAsync(SimulatedCluster cluster, Kubectl kubectl)
    {
        foreach (var (workload, image) in new[] { ("statefulset/db", "db=postgres:16"), ("statefulset/db", "db=postgres:17"), ("daemonset/node-agent", "agent=node-agent:2.0"), ("daemonset/node-agent", "agent=node-agent:3.0") })
        {
            var (code, _, error) = await kubectl.RunAsync("set", "image", workload, image);
            code.ShouldBe(0, error);
            await cluster.Simulator.SettleAsync(CancellationToken.None);
        }
    }

    private Kubectl Kubectl(SimulatedCluster cluster) => _twins.Kubectl(cluster);

    private Task<(int ExitCode, string Output, string Error)> KubectlUndoAsync(string kind, string name, string? toRevision) =>
        toRevision is null
            ? Kubectl(_twins.KubectlSide).RunAsync("rollout", "undo", $"{kind}/{name}")
            : Kubectl(_twins.KubectlSide).RunAsync("rollout", "undo", $"{kind}/{name}", $"--to-revision={toRevision}");

    private Task<ActionResult> UndoByWatchdogAsync(string kind, string name, string? toRevision)
    {
        var parameters = new Dictionary<string, string> { [kind] = name, ["namespace"] = "default" };
        if (toRevision is not null)
        {
            parameters["to_revision"] = toRevision;
        }

        IRollbackAction action = kind == "daemonset" ? new DaemonSetUndoAction(_twins.WatchdogSide.Connection) : new StatefulSetUndoAction(_twins.WatchdogSide.Connection);
        return _twins.WatchdogSide.RunAsync(action, parameters);
    }

    /// <summary>What an undo may change: the spec, and the annotations (a DaemonSet's template generation).</summary>
    private static string Object(SimulatedCluster cluster, string kind, string name)
    {
        var found = cluster.Simulator.Get("apps/v1", kind == "daemonset" ? "DaemonSet" : "StatefulSet", "default", name)!;
        return new JsonObject
        {
            ["annotations"] = found["metadata"]!["annotations"]?.DeepClone(),
            ["generation"] = found["metadata"]!["generation"]!.DeepClone(),
            ["spec"] = found["spec"]!.DeepClone(),
        }.ToJsonString();
    }

    private static List<(long Revision, string Name, string Data)> Revisions(SimulatedCluster cluster, string owner) =>
        [.. cluster.Simulator.ControllerRevisionsOf("default", owner)
            .Select(r => (r["revision"]!.GetValue<long>(), r["metadata"]!["name"]!.GetValue<string>(), r["data"]!.ToJsonString()))
            .OrderBy(r => r.Item1)];
}
