using System.Text.Json.Nodes;
using Watchdog.Actions.Kubernetes;
using Watchdog.Actions;
using Watchdog.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// <c>service-selector-switch</c> against the simulator, as the runbook's blue-green rollback uses it, read back with real
/// kubectl. The simulator keeps pods as counts in ReplicaSet status, so these tests create the blue and green Pods themselves.
/// </summary>
public sealed class ServiceSelectorSwitchTests : IAsyncLifetime, IDisposable
{
    private const string ServicePath = "/api/v1/namespaces/default/services/wakala";
    private readonly TempDirectory _home = new();
    private SimulatedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SimulatedCluster.StartAsync();
        _cluster.Simulator.Create("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"wakala","namespace":"default","labels":{"app":"wakala"}},
             "spec":{"selector":{"app":"wakala","version":"green"},"ports":[{"port":80,"targetPort":8080,"protocol":"TCP"}],"type":"ClusterIP"}}
            """);
        _cluster.CreatePod("wakala-green-1", "wakala", "green", ready: true);
        _cluster.CreatePod("wakala-blue-1", "wakala", "blue", ready: true);
        _cluster.CreatePod("wakala-blue-2", "wakala", "blue", ready: false);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task SwitchBackToBlue_SetsTheSelector_RemembersGreen_SavesTheServiceFirst_AndPostsAnEvent()
    {
        var before = Service();

        var result = await RunAsync(new() { ["service"] = "wakala", ["selector"] = "version=blue", ["expect"] = "version=green" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("switched service/default/wakala from app=wakala,version=green to app=wakala,version=blue");
        result.Before.ShouldBe("app=wakala,version=green");
        result.After.ShouldBe("app=wakala,version=blue");
        JsonNode.Parse(result.Detail!)!["readyPods"]!.GetValue<int>().ShouldBe(1);
        Service()["spec"]!["selector"]!.ToJsonString().ShouldBe("""{"app":"wakala","version":"blue"}""");
        Service()["metadata"]!["annotations"]![ServiceSelectorPatch.BeforeAnnotation]!.GetValue<string>().ShouldBe("""{"app":"wakala","version":"green"}""");
        var saved = _cluster.Saved.ShouldHaveSingleItem();
        saved.What.ShouldBe("service/default/wakala");
        JsonNode.DeepEquals(JsonNode.Parse(saved.Json), before).ShouldBeTrue();
        var posted = (await _cluster.EventsAsync()).ShouldHaveSingleItem();
        posted.Type.ShouldBe("Normal");
        posted.Reason.ShouldBe("WatchdogRollback");
        posted.InvolvedObject.Kind.ShouldBe("Service");
        posted.InvolvedObject.Name.ShouldBe("wakala");
        posted.Message!.ShouldStartWith("Watchdog switched service/default/wakala from app=wakala,version=green to app=wakala,version=blue (incident 1");

        var kubectl = new Kubectl(_cluster.Simulator.Url, _home.Path);
        var (code, output, error) = await kubectl.RunAsync("get", "svc", "wakala", "-o", "jsonpath={.spec.selector.version} {.metadata.annotations.watchdog\\.io/selector-before}");
        code.ShouldBe(0, error);
        output.ShouldBe("""blue {"app":"wakala","version":"green"}""");
    }

    [Fact]
    public async Task AlreadySelectingBlue_IsSkipped_EvenWithAnExpectThatNoLongerHolds_AndChangesNothing()
    {
        await RunAsync(new() { ["service"] = "wakala", ["selector"] = "version=blue" });
        var version = ResourceVersion();

        var result = await RunAsync(new() { ["service"] = "wakala", ["selector"] = "app=wakala,version=blue", ["expect"] = "version=green" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("skipped (already selects app=wakala,version=blue)");
        result.Before.ShouldBe(result.After);
        ResourceVersion().ShouldBe(version);
        _cluster.Saved.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ExpectNotMatched_Fails_WithNothingChanged_AndAWarningEvent()
    {
        var version = ResourceVersion();

        var result = await RunAsync(new() { ["service"] = "wakala", ["selector"] = "version=blue", ["expect"] = "version=red" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("service default/wakala selects app=wakala,version=green, not version=red; not switching");
        result.Before.ShouldBe("app=wakala,version=green");
        ResourceVersion().ShouldBe(version);
        _cluster.Saved.ShouldBeEmpty();
        (await _cluster.EventsAsync()).ShouldHaveSingleItem().Type.ShouldBe("Warning");
    }

    [Fact]
    public async Task NoReadyPodCarriesTheResultingSelector_Fails_WithNothingChanged()
    {
        // A Ready pod with version=canary but another app does not count: the Service would select app=wakala,version=canary.
        _cluster.CreatePod("wakala-canary-1", "wakala", "canary", ready: false);
        _cluster.CreatePod("other-canary-1", "other", "canary", ready: true);
        var version = ResourceVersion();

        var result = await RunAsync(new() { ["service"] = "wakala", ["selector"] = "version=canary" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("no ready pods match app=wakala,version=canary; not switching traffic to nothing");
        ResourceVersion().ShouldBe(version);
        Service()["spec"]!["selector"]!["version"]!.GetValue<string>().ShouldBe("green");
    }

    [Fact]
    public async Task RequireReadyPodsFalse_SwitchesToLabelsNoPodCarries()
    {
        var result = await RunAsync(new() { ["service"] = "wakala", ["selector"] = "version=purple", ["require_ready_pods"] = "false" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        Service()["spec"]!["selector"]!["version"]!.GetValue<string>().ShouldBe("purple");
    }

    [Fact]
    public async Task DeletedService_FailsAsNotFound()
    {
        await _cluster.Admin.Client.SendAsync(HttpMethod.Delete, ServicePath, null, null, CancellationToken.None);

        var result = await RunAsync(new() { ["service"] = "wakala", ["selector"] = "version=blue" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("service default/wakala not found");
    }

    [Fact]
    public async Task ConcurrentChangeBetweenReadAndPatch_FailsAsAConflict_AndLeavesWhatTheOtherWriterMade()
    {
        using var handler = InterceptingHandler.BeforeFirstPatch(() => _cluster.Connection.Client.SendAsync(
            HttpMethod.Patch, ServicePath, """{"spec":{"selector":{"version":"red"}}}""", "application/merge-patch+json", CancellationToken.None));
        using var connection = _cluster.Connect(handler);

        var result = await _cluster.RunAsync(new ServiceSelectorSwitchAction(connection), new() { ["service"] = "wakala", ["selector"] = "version=blue" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("conflict: the Service changed; not switched");
        Service()["spec"]!["selector"]!["version"]!.GetValue<string>().ShouldBe("red");
        Service()["metadata"]!["annotations"].ShouldBeNull();
        (await _cluster.EventsAsync()).ShouldHaveSingleItem().Type.ShouldBe("Warning");
    }

    [Fact]
    public async Task ARefusedEvent_DoesNotFailTheSwitch_AndIsWrittenAsProgress()
    {
        using var handler = InterceptingHandler.RefusingEvents();
        using var connection = _cluster.Connect(handler);

        var result = await _cluster.RunAsync(new ServiceSelectorSwitchAction(connection), new() { ["service"] = "wakala", ["selector"] = "version=blue" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        JsonNode.Parse(result.Detail!)!["eventPosted"]!.GetValue<bool>().ShouldBeFalse();
        Service()["spec"]!["selector"]!["version"]!.GetValue<string>().ShouldBe("blue");
        _cluster.Progress.ShouldBe(["event on service/default/wakala not posted"]);
        (await _cluster.EventsAsync()).ShouldBeEmpty();
    }

    private JsonObject Service() => _cluster.Simulator.Get("v1", "Service", "default", "wakala")!;

    private string ResourceVersion() => Service()["metadata"]!["resourceVersion"]!.GetValue<string>();

    private Task<ActionResult> RunAsync(Dictionary<string, string> parameters) => _cluster.RunAsync(new ServiceSelectorSwitchAction(_cluster.Connection), parameters);
}
