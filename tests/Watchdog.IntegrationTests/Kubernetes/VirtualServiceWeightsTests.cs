using System.Text.Json.Nodes;
using Watchdog.Actions.Kubernetes;
using Watchdog.Actions;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary><c>virtualservice-weights</c> against the simulator's Istio VirtualService, as the runbook's canary rollback uses it, read back with real kubectl.</summary>
public sealed class VirtualServiceWeightsTests : IAsyncLifetime, IDisposable
{
    private const string Path = "/apis/networking.istio.io/v1beta1/namespaces/default/virtualservices/wakala";
    private readonly TempDirectory _home = new();
    private SimulatedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SimulatedCluster.StartAsync();
        _cluster.Simulator.Create("""
            {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"wakala","namespace":"default"},
             "spec":{"hosts":["wakala"],"http":[{"name":"primary","route":[
               {"destination":{"host":"wakala","subset":"stable"},"weight":80},
               {"destination":{"host":"wakala","subset":"canary"},"weight":20}]}]}}
            """);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task CanaryRollback_SendsAllTrafficToStable_SavesTheObjectFirst_AndPostsAnEvent()
    {
        var before = VirtualService();

        var result = await RunAsync(new() { ["virtualservice"] = "wakala", ["stable_subset"] = "stable" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("virtualservice/default/wakala: all traffic to subset stable (stable=80 canary=20 -> stable=100 canary=0)");
        result.Before.ShouldBe("stable=80 canary=20");
        result.After.ShouldBe("stable=100 canary=0");
        Weights().ShouldBe([100, 0]);
        VirtualService()["metadata"]!["generation"]!.GetValue<int>().ShouldBe(2);
        var saved = _cluster.Saved.ShouldHaveSingleItem();
        saved.What.ShouldBe("virtualservice/default/wakala");
        JsonNode.DeepEquals(JsonNode.Parse(saved.Json), before).ShouldBeTrue();
        var posted = (await _cluster.EventsAsync()).ShouldHaveSingleItem();
        posted.Type.ShouldBe("Normal");
        posted.InvolvedObject.Kind.ShouldBe("VirtualService");
        posted.InvolvedObject.ApiVersion.ShouldBe("networking.istio.io/v1beta1");
        posted.InvolvedObject.Name.ShouldBe("wakala");

        var (code, output, error) = await new Kubectl(_cluster.Simulator.Url, _home.Path).RunAsync(
            "get", "virtualservices.networking.istio.io", "wakala", "-o", "jsonpath={.spec.http[0].route[*].weight}");
        code.ShouldBe(0, error);
        output.ShouldBe("100 0");
    }

    [Fact]
    public async Task AlreadyAllOnStable_IsSkipped_AndChangesNothing()
    {
        await RunAsync(new() { ["virtualservice"] = "wakala", ["stable_subset"] = "stable" });
        var version = ResourceVersion();

        var result = await RunAsync(new() { ["virtualservice"] = "wakala", ["stable_subset"] = "stable", ["route"] = "primary" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("skipped (virtualservice default/wakala already sends all traffic to subset stable: stable=100 canary=0)");
        ResourceVersion().ShouldBe(version);
        _cluster.Saved.Count.ShouldBe(1);
    }

    [Fact]
    public async Task NoRouteToTheStableSubset_Fails_WithNothingChanged()
    {
        var version = ResourceVersion();

        var result = await RunAsync(new() { ["virtualservice"] = "wakala", ["stable_subset"] = "v1" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("virtualservice default/wakala has no route to subset v1");
        ResourceVersion().ShouldBe(version);
        (await _cluster.EventsAsync()).ShouldHaveSingleItem().Type.ShouldBe("Warning");
    }

    [Fact]
    public async Task DeletedVirtualService_FailsAsNotFound()
    {
        await _cluster.Admin.Client.SendAsync(HttpMethod.Delete, Path, null, null, CancellationToken.None);

        var result = await RunAsync(new() { ["virtualservice"] = "wakala", ["stable_subset"] = "stable" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("virtualservice default/wakala not found");
    }

    [Fact]
    public async Task AnApiVersionTheServerDoesNotServe_FailsSayingSo()
    {
        // The simulator serves networking.istio.io/v1beta1 only; a cluster without Istio answers the same bare 404.
        var result = await RunAsync(new() { ["virtualservice"] = "wakala", ["stable_subset"] = "stable", ["api_version"] = "networking.istio.io/v1" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("virtualservice default/wakala: the API server does not serve networking.istio.io/v1 virtualservices (is Istio installed? is api_version right?)");
    }

    [Fact]
    public async Task ConcurrentChangeBetweenReadAndPatch_FailsAsAConflict_AndLeavesWhatTheOtherWriterMade()
    {
        using var handler = InterceptingHandler.BeforeFirstPatch(() => _cluster.Connection.Client.SendAsync(HttpMethod.Patch, Path,
            """[{"op":"replace","path":"/spec/http/0/route/0/weight","value":50},{"op":"replace","path":"/spec/http/0/route/1/weight","value":50}]""",
            "application/json-patch+json", CancellationToken.None));
        using var connection = _cluster.Connect(handler);

        var result = await _cluster.RunAsync(new VirtualServiceWeightsAction(connection), new() { ["virtualservice"] = "wakala", ["stable_subset"] = "stable" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("conflict: the VirtualService changed; weights not reset");
        result.Before.ShouldBe("stable=80 canary=20");
        Weights().ShouldBe([50, 50]);
    }

    private JsonObject VirtualService() => _cluster.Simulator.Get("networking.istio.io/v1beta1", "VirtualService", "default", "wakala")!;

    private string ResourceVersion() => VirtualService()["metadata"]!["resourceVersion"]!.GetValue<string>();

    private int[] Weights() => VirtualService()["spec"]!["http"]![0]!["route"]!.AsArray().Select(r => r!["weight"]!.GetValue<int>()).ToArray();

    private Task<ActionResult> RunAsync(Dictionary<string, string> parameters) => _cluster.RunAsync(new VirtualServiceWeightsAction(_cluster.Connection), parameters);
}
