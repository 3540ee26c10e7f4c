using System.Text.Json.Nodes;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// Real kubectl drives a DaemonSet on the simulator (3 nodes, controllers stepped by the test): get, rollout history,
/// undo and status must print what they print against a real cluster (spec §2, §3.2).
/// </summary>
public sealed class KubectlDaemonSetTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private KubernetesSimulator _simulator = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.Zero, Nodes: 3), CancellationToken.None);
        _simulator.Create(SandboxCommand.AgentDaemonSet);
        await _simulator.SettleAsync(CancellationToken.None);
        _kubectl = new Kubectl(_simulator.Url, _home.Path);
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Get_prints_the_daemonset_columns_and_the_revisions_with_their_controller()
    {
        var (code, output, error) = await _kubectl.RunAsync("get", "daemonsets");
        var (crCode, revisions, crError) = await _kubectl.RunAsync("get", "controllerrevisions");

        code.ShouldBe(0, error);
        output.ShouldMatch(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nnode-agent\s+3\s+3\s+3\s+3\s+3\s+<none>\s+\d+s\n$");
        crCode.ShouldBe(0, crError);
        revisions.ShouldMatch(@"^NAME\s+CONTROLLER\s+REVISION\s+AGE\nnode-agent-[bcdfghjklmnpqrstvwxz2456789]+\s+daemonset\.apps/node-agent\s+1\s+\d+s\n$");
    }

    [Fact]
    public async Task History_shows_each_template_with_its_change_cause_and_undo_reuses_the_previous_revision()
    {
        var (annotateCode, _, annotateError) = await _kubectl.RunAsync("annotate", "daemonset/node-agent", "kubernetes.io/change-cause=agent 2.0");
        annotateCode.ShouldBe(0, annotateError);
        await SetImageAsync("node-agent:2.0");
        await SetImageAsync("node-agent:3.0");

        var (code, history, error) = await _kubectl.RunAsync("rollout", "history", "daemonset/node-agent");
        var (undoCode, undone, undoError) = await _kubectl.RunAsync("rollout", "undo", "daemonset/node-agent");
        await _simulator.SettleAsync(CancellationToken.None);

        code.ShouldBe(0, error);
        history.ShouldBe("daemonset.apps/node-agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         agent 2.0\n3         agent 2.0\n\n");
        undoCode.ShouldBe(0, undoError);
        undone.ShouldBe("daemonset.apps/node-agent rolled back\n");
        Image().ShouldBe("node-agent:2.0");
        Revisions().ShouldBe([1, 3, 4]);
        var (skipCode, skipped, skipError) = await _kubectl.RunAsync("rollout", "undo", "daemonset/node-agent", "--to-revision=4");
        skipCode.ShouldBe(0, skipError);
        skipped.ShouldBe("daemonset.apps/node-agent skipped rollback (current template already matches revision 4)\n");
        var (missingCode, _, missing) = await _kubectl.RunAsync("rollout", "undo", "daemonset/node-agent", "--to-revision=2");
        missingCode.ShouldBe(1);
        missing.ShouldBe("error: unable to find specified revision 2 in history\n");
    }

    [Fact]
    public async Task Rollout_status_without_watch_prints_each_stage_of_the_node_by_node_rollout()
    {
        var (setCode, _, setError) = await _kubectl.RunAsync("set", "image", "daemonset/node-agent", "agent=node-agent:2.0");
        setCode.ShouldBe(0, setError);
        var lines = new List<string>();
        for (var sync = 0; sync <= 4; sync++)
        {
            var (code, output, error) = await _kubectl.RunAsync("rollout", "status", "daemonset/node-agent", "--watch=false");
            code.ShouldBe(0, error);
            lines.Add(output);
            await _simulator.SyncOnceAsync(CancellationToken.None);
        }

        lines.ShouldBe(
        [
            "Waiting for daemon set spec update to be observed...\n",
            "Waiting for daemon set \"node-agent\" rollout to finish: 1 out of 3 new pods have been updated...\n",
            "Waiting for daemon set \"node-agent\" rollout to finish: 2 out of 3 new pods have been updated...\n",
            "Waiting for daemon set \"node-agent\" rollout to finish: 2 of 3 updated pods are available...\n",
            "daemon set \"node-agent\" successfully rolled out\n",
        ]);
    }

    [Fact]
    public async Task Rollout_status_watches_until_the_last_node_is_available()
    {
        var (setCode, _, setError) = await _kubectl.RunAsync("set", "image", "daemonset/node-agent", "agent=node-agent:2.0");
        setCode.ShouldBe(0, setError);

        var status = _kubectl.RunAsync("rollout", "status", "daemonset/node-agent", "--timeout=20s");
        while (!status.IsCompleted)
        {
            await _simulator.SyncOnceAsync(CancellationToken.None);
            await Task.WhenAny(status, Task.Delay(300));
        }

        var (code, output, error) = await status;
        code.ShouldBe(0, error);
        output.ShouldEndWith("daemon set \"node-agent\" successfully rolled out\n");
        DaemonSet()["status"]!["updatedNumberScheduled"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Rollout_status_of_an_OnDelete_daemonset_is_refused_as_by_a_real_cluster()
    {
        var (patchCode, _, patchError) = await _kubectl.RunAsync("patch", "daemonset/node-agent", "--type=merge", "-p", """{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}""");
        patchCode.ShouldBe(0, patchError);
        await _simulator.SettleAsync(CancellationToken.None);

        var (code, _, error) = await _kubectl.RunAsync("rollout", "status", "daemonset/node-agent", "--timeout=5s");

        code.ShouldBe(1);
        error.ShouldBe("error: rollout status is only available for RollingUpdate strategy type\n");
    }

    private async Task SetImageAsync(string image)
    {
        var (code, output, error) = await _kubectl.RunAsync("set", "image", "daemonset/node-agent", $"agent={image}");
        code.ShouldBe(0, error);
        output.ShouldBe("daemonset.apps/node-agent image updated\n");
        await _simulator.SettleAsync(CancellationToken.None);
    }

    private JsonObject DaemonSet() => _simulator.Get("apps/v1", "DaemonSet", "default", "node-agent")!;

    private string Image() => DaemonSet()["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private long[] Revisions() => _simulator.ControllerRevisionsOf("default", "node-agent").Select(r => r["revision"]!.GetValue<long>()).Order().ToArray();
}
