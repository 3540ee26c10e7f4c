using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Sandbox;
using Watchdog.Tests.Kubernetes;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary><c>rollout-restart</c>: its checks, and its requests against the simulator (spec §3.3).</summary>
public sealed class RolloutRestartActionTests : IAsyncLifetime
{
    private const string Path = "/apis/apps/v1/namespaces/default/deployments/checkout";
    private const string Display = "deployment/default/checkout";
    private const string Stamp = "2026-03-01T12:00:05Z"; // SimulatorHarness.Now

    private static readonly Dictionary<string, string> Checkout = new() { ["deployment"] = "checkout" };

    private SimulatorHarness _h = null!;

    public async Task InitializeAsync() => _h = await SimulatorHarness.StartAsync(SandboxCommand.CheckoutDeployment);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private JsonObject Deployment => _h.Simulator.Get("apps/v1", "Deployment", "default", "checkout")!;

    private string? RestartedAt => RolloutRestartAction.RestartedAt(Deployment);

    private Task<ActionResult> RunAsync(Dictionary<string, string> parameters) => _h.RunAsync(new RolloutRestartAction(_h.Connection), parameters);

    [Fact]
    public void Validate_EveryProblem_IsReportedAtOnce()
    {
        RolloutRestartAction.ValidateParameters(new Dictionary<string, string> { ["deployment"] = "checkout", ["statefulset"] = "db", ["namespace"] = "x_y", ["replicas"] = "3" }).ShouldBe(
        [
            "name exactly one workload: deployment: NAME, statefulset: NAME or daemonset: NAME",
            "namespace: 'x_y' is not a namespace name (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)",
            "replicas: unknown parameter (deployment, statefulset, daemonset, namespace)",
        ]);
        RolloutRestartAction.ValidateParameters(new Dictionary<string, string> { ["daemonset"] = "Agent/1" }).ShouldBe(
            ["daemonset: 'Agent/1' is not an object name (lower-case letters, digits, '-' and '.', at most 253, starting and ending with a letter or digit)"]);
        RolloutRestartAction.ValidateParameters(new Dictionary<string, string> { ["deployment"] = "wakala-api", ["namespace"] = "production" }).ShouldBeEmpty();
    }

    [Fact]
    public void Timestamp_IsRfc3339InUtc_ToTheSecond() =>
        RolloutRestartAction.Timestamp(new DateTimeOffset(2026, 3, 1, 13, 0, 5, 999, TimeSpan.FromHours(1))).ShouldBe("2026-03-01T12:00:05Z");

    [Fact]
    public async Task Restart_SendsKubectlsPatch_WithWatchdogsFieldManagerAndAResourceVersion_AfterSavingTheDeployment()
    {
        var resourceVersion = Deployment["metadata"]!["resourceVersion"]!.GetValue<string>();

        var result = await RunAsync(Checkout);

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe($"restarted {Display} (kubectl.kubernetes.io/restartedAt={Stamp})");
        (result.Before, result.After).ShouldBe(($"{Display} restartedAt never", $"{Display} restartedAt {Stamp}"));
        _h.Handler.Requests.Select(r => $"{r.Method} {r.Path}{r.Query}").ShouldBe(
            [$"GET {Path}", $"PATCH {Path}?fieldManager=watchdog", "POST /api/v1/namespaces/default/events"]);
        var patch = _h.Handler.Patches.Single();
        patch.ContentType.ShouldBe("application/strategic-merge-patch+json");
        const string KubectlsBodyThenThePrecondition = """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"TIME"}}}},"metadata":{"resourceVersion":"RV"}}""";
        patch.Body.ShouldBe(KubectlsBodyThenThePrecondition.Replace("TIME", Stamp, StringComparison.Ordinal).Replace("RV", resourceVersion, StringComparison.Ordinal));
        var saved = _h.Journal.Saved.ShouldHaveSingleItem();
        (saved.What, saved.RequestsBefore).ShouldBe((Display, 1));
        JsonNode.Parse(saved.Json)!["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldBe(resourceVersion);

        await _h.Simulator.SettleAsync(CancellationToken.None);
        RestartedAt.ShouldBe(Stamp);
        _h.Simulator.ReplicaSetsOf("default", "checkout").Select(rs => rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>()).Order().ShouldBe(["1", "2"]);
        var posted = (await _h.EventsAsync("default")).ShouldHaveSingleItem();
        (posted.Type, posted.Reason, posted.InvolvedObject.Kind, posted.InvolvedObject.ApiVersion).ShouldBe(("Normal", RolloutRestartAction.EventReason, "Deployment", "apps/v1"));
    }

    [Fact]
    public async Task RepeatInTheSameSecond_IsSkipped_ButASecondLaterRestartsAgain()
    {
        (await RunAsync(Checkout)).Succeeded.ShouldBeTrue();

        var repeat = await RunAsync(Checkout);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var later = await RunAsync(Checkout);

        repeat.Succeeded.ShouldBeTrue();
        repeat.Summary.ShouldBe($"skipped (already restarted at {Stamp}): {Display}");
        later.Summary.ShouldBe($"restarted {Display} (kubectl.kubernetes.io/restartedAt=2026-03-01T12:00:06Z)");
        later.Before.ShouldBe($"{Display} restartedAt {Stamp}");
        _h.Handler.Patches.Count().ShouldBe(2);
        _h.Journal.Saved.Count.ShouldBe(2);
    }

    [Fact]
    public async Task PausedDeployment_IsRefusedInKubectlsWords_WithNothingChanged()
    {
        await _h.PatchDirectlyAsync(Path, "application/merge-patch+json", """{"spec":{"paused":true}}""");

        var result = await RunAsync(Checkout);

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("deployments.apps \"checkout\" can't restart paused deployment (run rollout resume first)");
        _h.Handler.Patches.ShouldBeEmpty();
        _h.Journal.Saved.ShouldBeEmpty();
        RestartedAt.ShouldBeNull();
        (await _h.EventsAsync("default")).ShouldHaveSingleItem().Type.ShouldBe("Warning");
    }

    [Fact]
    public async Task DaemonSet_IsPatchedAtItsOwnPath()
    {
        _h.Simulator.Create("""
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","namespace":"monitoring"},
             "spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"agent","image":"agent:1"}]}}}}
            """);

        var result = await RunAsync(new() { ["daemonset"] = "agent", ["namespace"] = "monitoring" });

        result.Summary.ShouldBe($"restarted daemonset/monitoring/agent (kubectl.kubernetes.io/restartedAt={Stamp})");
        _h.Handler.Patches.Single().Path.ShouldBe("/apis/apps/v1/namespaces/monitoring/daemonsets/agent");
        RolloutRestartAction.RestartedAt(_h.Simulator.Get("apps/v1", "DaemonSet", "monitoring", "agent")).ShouldBe(Stamp);
        (await _h.EventsAsync("monitoring")).ShouldHaveSingleItem().InvolvedObject.Kind.ShouldBe("DaemonSet");
    }

    [Fact]
    public async Task MissingDeployment_FailsAsNotFound_WithNothingSaved()
    {
        await _h.DeleteDirectlyAsync(Path);

        var result = await RunAsync(Checkout);

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe($"{Display} not found");
        _h.Journal.Saved.ShouldBeEmpty();
    }

    [Fact]
    public async Task SpecChangedConcurrently_IsAConflict_AndThePodsAreNotRestarted()
    {
        _h.Handler.Before = async request =>
        {
            if (request.Method == "PATCH")
            {
                _h.Handler.Before = null;
                await _h.PatchDirectlyAsync(Path, "application/strategic-merge-patch+json", """{"spec":{"template":{"spec":{"containers":[{"name":"checkout","image":"checkout:2.0"}]}}}}""");
            }
        };

        var result = await RunAsync(Checkout);

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe($"conflict: {Display} changed since Watchdog read it; not restarted");
        RestartedAt.ShouldBeNull();
        Deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("checkout:2.0");
        (await _h.EventsAsync("default")).ShouldHaveSingleItem().Type.ShouldBe("Warning");
    }

    [Fact]
    public async Task StatusWrittenConcurrently_IsNoConflict_ThePatchIsSentOnceMoreWithTheNewVersion()
    {
        _h.Handler.Before = async request =>
        {
            if (request.Method == "PATCH")
            {
                _h.Handler.Before = null;
                await _h.PatchDirectlyAsync(Path + "/status", "application/merge-patch+json", """{"status":{"collisionCount":1}}""");
            }
        };

        var result = await RunAsync(Checkout);

        result.Succeeded.ShouldBeTrue(result.Summary);
        var patches = _h.Handler.Patches.Select(p => JsonNode.Parse(p.Body)!["metadata"]!["resourceVersion"]!.GetValue<string>()).ToList();
        patches.Count.ShouldBe(2);
        patches[1].ShouldNotBe(patches[0]);
        RestartedAt.ShouldBe(Stamp);
    }

    [Fact]
    public async Task LostAnswer_TheRetriedPatchFailsItsOwnPrecondition_AndIsNoConflict()
    {
        _h.Handler.LoseNextPatchAnswer();

        var result = await RunAsync(Checkout);

        result.Succeeded.ShouldBeTrue(result.Summary);
        _h.Handler.Patches.Count().ShouldBe(2);
        RestartedAt.ShouldBe(Stamp);
    }
}
