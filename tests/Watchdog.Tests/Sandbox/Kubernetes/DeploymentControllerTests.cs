using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Sandbox.Kubernetes;

/// <summary>The simulated deployment controller on a manual clock, one sync at a time (spec §4).</summary>
public sealed class DeploymentControllerTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly HttpClient _http = new();
    private KubernetesSimulator _simulator = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(TimeProvider: _time, SyncInterval: TimeSpan.Zero), CancellationToken.None);
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        await _simulator.SettleAsync(CancellationToken.None);
        _http.BaseAddress = _simulator.Url;
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Rolling_update_stays_within_max_surge_and_max_unavailable()
    {
        await SetImageAsync("checkout:2.0");

        for (var sync = 0; sync < 20; sync++)
        {
            await _simulator.SyncOnceAsync(CancellationToken.None);
            var sets = _simulator.ReplicaSetsOf("default", "checkout");
            // 3 replicas at 25%: surge rounds up to 1, unavailable rounds down to 0.
            sets.Sum(rs => rs["spec"]!["replicas"]!.GetValue<int>()).ShouldBeLessThanOrEqualTo(4);
            sets.Sum(rs => rs["status"]?["availableReplicas"]?.GetValue<int>() ?? 0).ShouldBeGreaterThanOrEqualTo(3);
        }

        var status = Deployment()["status"]!;
        status["updatedReplicas"]!.GetValue<int>().ShouldBe(3);
        status["replicas"]!.GetValue<int>().ShouldBe(3);
        Progressing()["reason"]!.GetValue<string>().ShouldBe("NewReplicaSetAvailable");
    }

    [Fact]
    public async Task Pods_that_never_get_ready_exceed_the_progress_deadline_only_after_it_passes()
    {
        _simulator.FailRollouts("default", "checkout");
        await SetImageAsync("checkout:broken");
        await _simulator.SettleAsync(CancellationToken.None);

        Progressing()["status"]!.GetValue<string>().ShouldBe("True");
        _time.Advance(TimeSpan.FromSeconds(599));
        await _simulator.SyncOnceAsync(CancellationToken.None);
        Progressing()["status"]!.GetValue<string>().ShouldBe("True");

        _time.Advance(TimeSpan.FromSeconds(2));
        await _simulator.SyncOnceAsync(CancellationToken.None);

        Progressing()["reason"]!.GetValue<string>().ShouldBe("ProgressDeadlineExceeded");
        Progressing()["status"]!.GetValue<string>().ShouldBe("False");
        Deployment()["status"]!["availableReplicas"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Old_replicasets_beyond_the_history_limit_are_deleted_oldest_first()
    {
        await PatchAsync("""{"spec":{"revisionHistoryLimit":2}}""");
        foreach (var image in new[] { "checkout:2.0", "checkout:3.0", "checkout:4.0" })
        {
            await SetImageAsync(image);
            await _simulator.SettleAsync(CancellationToken.None);
        }

        _simulator.ReplicaSetsOf("default", "checkout")
            .Select(rs => rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>())
            .Order(StringComparer.Ordinal).ShouldBe(["2", "3", "4"]);
    }

    [Fact]
    public async Task New_replicaset_is_named_after_the_pod_template_hash_and_owned_by_the_deployment()
    {
        var rs = _simulator.ReplicaSetsOf("default", "checkout").Single();
        var hash = rs["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>();

        rs["metadata"]!["name"]!.GetValue<string>().ShouldBe($"checkout-{hash}");
        hash.ShouldMatch("^[bcdfghjklmnpqrstvwxz2456789]+$");
        rs["spec"]!["selector"]!["matchLabels"]!["pod-template-hash"]!.GetValue<string>().ShouldBe(hash);
        rs["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>().ShouldBe(Deployment()["metadata"]!["uid"]!.GetValue<string>());
        rs["metadata"]!["annotations"]!["deployment.kubernetes.io/max-replicas"]!.GetValue<string>().ShouldBe("4");
        Deployment()["status"]!["observedGeneration"]!.GetValue<long>().ShouldBe(Deployment()["metadata"]!["generation"]!.GetValue<long>());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Paused_deployment_scales_but_does_not_roll_a_new_template()
    {
        await PatchAsync("""{"spec":{"paused":true,"replicas":5}}""");
        await SetImageAsync("checkout:2.0");

        await _simulator.SettleAsync(CancellationToken.None);

        var rs = _simulator.ReplicaSetsOf("default", "checkout").Single();
        rs["spec"]!["replicas"]!.GetValue<int>().ShouldBe(5);
        rs["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("checkout:1.0");
        Progressing()["reason"]!.GetValue<string>().ShouldBe("DeploymentPaused");
        Deployment()["status"]!["availableReplicas"]!.GetValue<int>().ShouldBe(5);
    }

    private Task SetImageAsync(string image) =>
        PatchAsync("""{"spec":{"template":{"spec":{"containers":[{"name":"checkout","image":""" + "\"" + image + "\"" + """}]}}}}""");

    private async Task PatchAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri("/apis/apps/v1/namespaces/default/deployments/checkout", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/strategic-merge-patch+json");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private JsonObject Deployment() => _simulator.Get("apps/v1", "Deployment", "default", "checkout")!;

    private JsonNode Progressing() =>
        Deployment()["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Progressing")!;
}
