using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.Tests.Sandbox.Kubernetes;

/// <summary>The simulated DaemonSet controller on 3 nodes, one sync at a time (spec §2 and §3.2).</summary>
public sealed class DaemonSetControllerTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private KubernetesSimulator _simulator = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.Zero, Nodes: 3), CancellationToken.None);
        _simulator.Create(SandboxCommand.AgentDaemonSet);
        await _simulator.SettleAsync(CancellationToken.None);
        _http.BaseAddress = _simulator.Url;
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public void A_new_daemonset_runs_on_every_node_with_its_first_revision()
    {
        var revision = Revisions().ShouldHaveSingleItem();
        var hash = revision["metadata"]!["labels"]!["controller-revision-hash"]!.GetValue<string>();

        revision["metadata"]!["name"]!.GetValue<string>().ShouldBe($"node-agent-{hash}");
        revision["metadata"]!["labels"]!["app"]!.GetValue<string>().ShouldBe("node-agent");
        revision["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>().ShouldBe("DaemonSet");
        revision["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>().ShouldBe(DaemonSet()["metadata"]!["uid"]!.GetValue<string>());
        revision["metadata"]!["annotations"]!["deprecated.daemonset.template.generation"]!.GetValue<string>().ShouldBe("1");
        revision["revision"]!.GetValue<long>().ShouldBe(1);
        revision["data"]!["spec"]!["template"]!["$patch"]!.GetValue<string>().ShouldBe("replace");
        DaemonSet()["status"]!.ToJsonString().ShouldBe(
            """{"currentNumberScheduled":3,"numberMisscheduled":0,"desiredNumberScheduled":3,"numberReady":3,"observedGeneration":1,"updatedNumberScheduled":3,"numberAvailable":3}""");
        DaemonSet()["spec"]!["updateStrategy"]!.ToJsonString().ShouldBe("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}""");
    }

    [Fact]
    public async Task A_new_template_rolls_out_one_node_per_sync_each_unavailable_until_the_next()
    {
        await SetImageAsync("node-agent:2.0");
        var seen = new List<string>();
        for (var sync = 0; sync < 5; sync++)
        {
            await _simulator.SyncOnceAsync(CancellationToken.None);
            var status = DaemonSet()["status"]!;
            seen.Add($"{status["updatedNumberScheduled"]?.GetValue<int>() ?? 0} updated, {status["numberAvailable"]!.GetValue<int>()} available");
        }

        seen.ShouldBe(["1 updated, 2 available", "2 updated, 2 available", "3 updated, 2 available", "3 updated, 3 available", "3 updated, 3 available"]);
        DaemonSet()["metadata"]!["annotations"]!["deprecated.daemonset.template.generation"]!.GetValue<string>().ShouldBe("2");
        Revisions().Select(r => r["revision"]!.GetValue<long>()).Order().ShouldBe([1, 2]);
    }

    [Fact]
    public async Task With_OnDelete_a_new_template_replaces_no_pod()
    {
        await PatchAsync("""{"spec":{"updateStrategy":{"$patch":"replace","type":"OnDelete"}}}""");
        await SetImageAsync("node-agent:2.0");

        await _simulator.SettleAsync(CancellationToken.None);

        var status = DaemonSet()["status"]!;
        status["updatedNumberScheduled"].ShouldBeNull();
        status["numberAvailable"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Returning_to_an_old_template_reuses_its_revision_with_the_next_number()
    {
        var first = Revisions().Single()["metadata"]!["name"]!.GetValue<string>();
        await SetImageAsync("node-agent:2.0");
        await _simulator.SettleAsync(CancellationToken.None);

        await SetImageAsync("node-agent:1.0");
        await _simulator.SettleAsync(CancellationToken.None);

        Revisions().Single(r => r["metadata"]!["name"]!.GetValue<string>() == first)["revision"]!.GetValue<long>().ShouldBe(3);
        Revisions().Count.ShouldBe(2);
    }

    [Fact]
    public async Task Revisions_beyond_the_history_limit_are_deleted_oldest_first()
    {
        await PatchAsync("""{"spec":{"revisionHistoryLimit":2}}""");
        foreach (var image in new[] { "node-agent:2.0", "node-agent:3.0", "node-agent:4.0" })
        {
            await SetImageAsync(image);
            await _simulator.SettleAsync(CancellationToken.None);
        }

        Revisions().Select(r => r["revision"]!.GetValue<long>()).Order().ShouldBe([2, 3, 4]);
    }

    [Fact]
    public async Task Revision_data_is_served_with_Gos_escapes_so_kubectl_can_compare_bytes()
    {
        await PatchAsync("""{"spec":{"template":{"spec":{"containers":[{"name":"agent","env":[{"name":"URL","value":"a&b<c>'+é"}]}]}}}}""");
        await _simulator.SettleAsync(CancellationToken.None);

        var body = await _http.GetStringAsync(new Uri("/apis/apps/v1/namespaces/default/controllerrevisions", UriKind.Relative));

        body.ShouldContain("""{"name":"URL","value":"a\u0026b\u003cc\u003e'+é"}""");
    }

    private List<JsonObject> Revisions() => [.. _simulator.ControllerRevisionsOf("default", "node-agent")];

    private JsonObject DaemonSet() => _simulator.Get("apps/v1", "DaemonSet", "default", "node-agent")!;

    private Task SetImageAsync(string image) =>
        PatchAsync("""{"spec":{"template":{"spec":{"containers":[{"name":"agent","image":""" + "\"" + image + "\"" + """}]}}}}""");

    private async Task PatchAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri("/apis/apps/v1/namespaces/default/daemonsets/node-agent", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/strategic-merge-patch+json");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
