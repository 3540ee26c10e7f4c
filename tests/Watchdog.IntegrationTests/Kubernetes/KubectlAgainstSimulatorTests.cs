using System.Text.Json.Nodes;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>Real kubectl drives the simulator; what it prints and what the simulator stores must agree with a real cluster (spec §1, §3, §4).</summary>
public sealed class KubectlAgainstSimulatorTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private KubernetesSimulator _simulator = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        await _simulator.SettleAsync(CancellationToken.None);
        _kubectl = new Kubectl(_simulator.Url, _home.Path);
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Set_image_twice_then_history_lists_three_revisions()
    {
        await CreateRevisionsTwoAndThreeAsync();

        var (code, output, error) = await _kubectl.RunAsync("rollout", "history", "deployment/checkout");

        code.ShouldBe(0, error);
        output.ShouldStartWith("deployment.apps/checkout");
        output.ShouldContain("REVISION  CHANGE-CAUSE");
        Revisions().ShouldBe([1, 2, 3]);
        foreach (var revision in new[] { "1", "2", "3" })
        {
            output.ShouldContain($"\n{revision}         <none>");
        }
    }

    [Fact]
    public async Task Undo_restores_the_previous_template_and_the_controller_bumps_its_replicaset()
    {
        await CreateRevisionsTwoAndThreeAsync();

        var (code, output, error) = await _kubectl.RunAsync("rollout", "undo", "deployment/checkout");
        await _simulator.SettleAsync(CancellationToken.None);

        code.ShouldBe(0, error);
        output.Trim().ShouldBe("deployment.apps/checkout rolled back");
        Image().ShouldBe("checkout:2.0");
        Revisions().ShouldBe([1, 3, 4]);
        var reused = _simulator.ReplicaSetsOf("default", "checkout").Single(rs => Revision(rs) == 4);
        reused["metadata"]!["annotations"]!["deployment.kubernetes.io/revision-history"]!.GetValue<string>().ShouldBe("2");
        reused["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("checkout:2.0");
        Deployment()["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().ShouldBe("4");
        reused["spec"]!["replicas"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Undo_to_revision_one_reuses_the_first_replicaset()
    {
        await CreateRevisionsTwoAndThreeAsync();

        var (code, output, error) = await _kubectl.RunAsync("rollout", "undo", "deployment/checkout", "--to-revision=1");
        await _simulator.SettleAsync(CancellationToken.None);

        code.ShouldBe(0, error);
        output.Trim().ShouldBe("deployment.apps/checkout rolled back");
        Image().ShouldBe("checkout:1.0");
        Revisions().ShouldBe([2, 3, 4]);
        var (_, again, _) = await _kubectl.RunAsync("rollout", "undo", "deployment/checkout", "--to-revision=4");
        again.Trim().ShouldBe("deployment.apps/checkout skipped rollback (current template already matches revision 4)");
        var (missingCode, _, missing) = await _kubectl.RunAsync("rollout", "undo", "deployment/checkout", "--to-revision=1");
        missingCode.ShouldBe(1);
        missing.Trim().ShouldBe("error: unable to find specified revision 1 in history");
    }

    [Fact]
    public async Task Rollout_status_succeeds_once_the_controller_settles()
    {
        var (setCode, _, setError) = await _kubectl.RunAsync("set", "image", "deployment/checkout", "checkout=checkout:2.0");
        setCode.ShouldBe(0, setError);

        var (code, output, error) = await _kubectl.RunAsync("rollout", "status", "deployment/checkout", "--timeout=15s");

        code.ShouldBe(0, error);
        output.ShouldEndWith("deployment \"checkout\" successfully rolled out\n");
        var status = Deployment()["status"]!;
        status["updatedReplicas"]!.GetValue<int>().ShouldBe(3);
        status["availableReplicas"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Rollout_status_fails_with_the_progress_deadline_when_pods_never_get_ready()
    {
        var (patchCode, _, patchError) = await _kubectl.RunAsync("patch", "deployment/checkout", "-p", """{"spec":{"progressDeadlineSeconds":1}}""");
        patchCode.ShouldBe(0, patchError);
        await _simulator.SettleAsync(CancellationToken.None);
        _simulator.FailRollouts("default", "checkout");
        await _kubectl.RunAsync("set", "image", "deployment/checkout", "checkout=checkout:broken");

        var (code, _, error) = await _kubectl.RunAsync("rollout", "status", "deployment/checkout", "--timeout=15s");

        code.ShouldBe(1);
        error.Trim().ShouldBe("error: deployment \"checkout\" exceeded its progress deadline");
        var progressing = ((JsonArray)Deployment()["status"]!["conditions"]!).Single(c => c!["type"]!.GetValue<string>() == "Progressing")!;
        progressing["reason"]!.GetValue<string>().ShouldBe("ProgressDeadlineExceeded");
        progressing["status"]!.GetValue<string>().ShouldBe("False");
    }

    [Fact]
    public async Task Scale_sets_spec_and_the_controller_brings_status_along()
    {
        var (code, output, error) = await _kubectl.RunAsync("scale", "deployment/checkout", "--replicas=5");
        await _simulator.SettleAsync(CancellationToken.None);

        code.ShouldBe(0, error);
        output.Trim().ShouldBe("deployment.apps/checkout scaled");
        Deployment()["spec"]!["replicas"]!.GetValue<int>().ShouldBe(5);
        Deployment()["status"]!["availableReplicas"]!.GetValue<int>().ShouldBe(5);
        Revisions().ShouldBe([1]);
    }

    [Fact]
    public async Task Restart_makes_a_new_revision_through_the_restartedAt_annotation()
    {
        var (code, output, error) = await _kubectl.RunAsync("rollout", "restart", "deployment/checkout");
        await _simulator.SettleAsync(CancellationToken.None);

        code.ShouldBe(0, error);
        output.Trim().ShouldBe("deployment.apps/checkout restarted");
        Deployment()["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"].ShouldNotBeNull();
        Revisions().ShouldBe([1, 2]);
        _simulator.ReplicaSetsOf("default", "checkout").Single(rs => Revision(rs) == 1)["spec"]!["replicas"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task Statefulset_template_change_makes_a_controller_revision_and_undo_reuses_the_first()
    {
        _simulator.Create(SandboxCommand.DbStatefulSet);
        await _simulator.SettleAsync(CancellationToken.None);
        var (setCode, _, setError) = await _kubectl.RunAsync("set", "image", "statefulset/db", "db=postgres:16");
        setCode.ShouldBe(0, setError);
        await _simulator.SettleAsync(CancellationToken.None);

        var (code, output, error) = await _kubectl.RunAsync("rollout", "undo", "statefulset/db");
        await _simulator.SettleAsync(CancellationToken.None);

        code.ShouldBe(0, error);
        output.Trim().ShouldBe("statefulset.apps/db rolled back");
        _simulator.Get("apps/v1", "StatefulSet", "default", "db")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("postgres:15");
        _simulator.ControllerRevisionsOf("default", "db").Select(cr => cr["revision"]!.GetValue<int>()).Order().ShouldBe([2, 3]);

        // kubectl compares the live template with the revision's data byte for byte, so this only skips if data is encoded as Go would.
        var (skipCode, skipped, skipError) = await _kubectl.RunAsync("rollout", "undo", "statefulset/db", "--to-revision=3");
        skipCode.ShouldBe(0, skipError);
        skipped.Trim().ShouldBe("statefulset.apps/db skipped rollback (current template already matches revision 3)");
    }

    [Fact]
    public async Task Undo_of_a_paused_deployment_is_refused_and_get_lists_it()
    {
        await CreateRevisionsTwoAndThreeAsync();
        var (pauseCode, pauseOutput, pauseError) = await _kubectl.RunAsync("rollout", "pause", "deployment/checkout");
        pauseCode.ShouldBe(0, pauseError);
        pauseOutput.Trim().ShouldBe("deployment.apps/checkout paused");

        var (code, _, error) = await _kubectl.RunAsync("rollout", "undo", "deployment/checkout");

        code.ShouldBe(1);
        error.Trim().ShouldBe("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        Image().ShouldBe("checkout:3.0");
        var (getCode, listing, getError) = await _kubectl.RunAsync("get", "deployments", "-o", "name");
        getCode.ShouldBe(0, getError);
        listing.Trim().ShouldBe("deployment.apps/checkout");
    }

    [Fact]
    public async Task Rollout_status_returns_at_once_when_nothing_changes_after_the_list()
    {
        _simulator.Create(SandboxCommand.DbStatefulSet);
        await _simulator.SettleAsync(CancellationToken.None);

        var (code, output, error) = await _kubectl.RunAsync("rollout", "status", "statefulset/db", "--timeout=10s");
        var (deploymentCode, deploymentOutput, deploymentError) = await _kubectl.RunAsync("rollout", "status", "deployment/checkout", "--timeout=10s");

        // The default partition 0 makes kubectl report a partitioned rollout, as against a real cluster.
        code.ShouldBe(0, error);
        output.ShouldBe("partitioned roll out complete: 1 new pods have been updated...\n");
        deploymentCode.ShouldBe(0, deploymentError);
        deploymentOutput.ShouldBe("deployment \"checkout\" successfully rolled out\n");
    }

    [Fact]
    public async Task Get_prints_the_server_side_columns_of_deployments_and_replicasets()
    {
        var (code, output, error) = await _kubectl.RunAsync("get", "deployments");
        var (rsCode, replicaSets, rsError) = await _kubectl.RunAsync("get", "replicasets");
        var (oneCode, one, oneError) = await _kubectl.RunAsync("get", "deployment", "checkout", "--no-headers");

        code.ShouldBe(0, error);
        output.ShouldMatch(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ncheckout\s+3/3\s+3\s+3\s+\d+s\n$");
        rsCode.ShouldBe(0, rsError);
        replicaSets.ShouldMatch(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\ncheckout-[bcdfghjklmnpqrstvwxz2456789]+\s+3\s+3\s+3\s+\d+s\n$");
        oneCode.ShouldBe(0, oneError);
        one.ShouldMatch(@"^checkout\s+3/3\s+3\s+3\s+\d+s\n$");
    }

    [Fact]
    public async Task Get_events_prints_the_server_side_columns_and_the_wide_ones_with_o_wide()
    {
        var now = TimeProvider.System.GetUtcNow();
        _simulator.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = "checkout.17a9c2f1e5b4a3d2", ["namespace"] = "default" },
            ["involvedObject"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "checkout", ["namespace"] = "default" },
            ["reason"] = "WatchdogRollback",
            ["message"] = "Watchdog rolled back deployment/default/checkout\n",
            ["source"] = new JsonObject { ["component"] = "watchdog", ["host"] = "host-1" },
            ["firstTimestamp"] = Timestamp(now.AddMinutes(-5)),
            ["lastTimestamp"] = Timestamp(now.AddSeconds(-30)),
            ["count"] = 3,
            ["type"] = "Normal",
        }.ToJsonString());

        var (code, output, error) = await _kubectl.RunAsync("get", "events");
        var (wideCode, wide, wideError) = await _kubectl.RunAsync("get", "events", "-o", "wide");

        code.ShouldBe(0, error);
        output.ShouldMatch(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n\d+s\s+Normal\s+WatchdogRollback\s+deployment/checkout\s+Watchdog rolled back deployment/default/checkout\n$");
        wideCode.ShouldBe(0, wideError);
        wide.ShouldMatch(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME\n"
            + @"\d+s\s+Normal\s+WatchdogRollback\s+deployment/checkout\s+watchdog, host-1\s+Watchdog rolled back deployment/default/checkout\s+5m(\d+s)?\s+3\s+checkout\.17a9c2f1e5b4a3d2\n$");
    }

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private async Task CreateRevisionsTwoAndThreeAsync()
    {
        foreach (var image in new[] { "checkout:2.0", "checkout:3.0" })
        {
            var (code, output, error) = await _kubectl.RunAsync("set", "image", "deployment/checkout", $"checkout={image}");
            code.ShouldBe(0, error);
            output.Trim().ShouldBe("deployment.apps/checkout image updated");
            await _simulator.SettleAsync(CancellationToken.None);
        }
    }

    private JsonObject Deployment() => _simulator.Get("apps/v1", "Deployment", "default", "checkout")!;

    private string Image() => Deployment()["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private int[] Revisions() => _simulator.ReplicaSetsOf("default", "checkout").Select(Revision).Order().ToArray();

    private static int Revision(JsonObject rs) => int.Parse(rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
