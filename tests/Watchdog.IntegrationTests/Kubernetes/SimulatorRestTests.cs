using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>The simulator's REST surface: Status bodies as the real API server's (spec §5.4, §5.5), optimistic concurrency, events, custom resources.</summary>
public sealed class SimulatorRestTests : IAsyncLifetime, IDisposable
{
    private const string Deployment = "/apis/apps/v1/namespaces/default/deployments/checkout";
    private readonly HttpClient _http = new();
    private KubernetesSimulator _simulator = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(), CancellationToken.None);
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        _simulator.Create("""
            {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"reviews","namespace":"default"},
             "spec":{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews","subset":"v1"},"weight":80},{"destination":{"host":"reviews","subset":"v2"},"weight":20}]}]}}
            """);
        _http.BaseAddress = _simulator.Url;

        // Settled: the deployment controller writes no more status, so a read-then-write in a test is not raced by it.
        await _simulator.SettleAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Missing_deployment_is_a_NotFound_status()
    {
        using var response = await _http.GetAsync(new Uri("/apis/apps/v1/namespaces/default/deployments/nope", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"nope\" not found","reason":"NotFound","details":{"name":"nope","group":"apps","kind":"deployments"},"code":404}""");
    }

    [Fact]
    public async Task Put_with_a_stale_resourceVersion_is_a_Conflict_and_the_current_one_succeeds()
    {
        var current = JsonNode.Parse(await _http.GetStringAsync(new Uri(Deployment, UriKind.Relative)))!.AsObject();
        var fresh = current.DeepClone().AsObject();
        current["spec"]!["replicas"] = 4;
        using (var first = await SendAsync(HttpMethod.Put, Deployment, "application/json", current.ToJsonString()))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        fresh["spec"]!["replicas"] = 2;
        using var stale = await SendAsync(HttpMethod.Put, Deployment, "application/json", fresh.ToJsonString());

        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var status = JsonNode.Parse(await stale.Content.ReadAsStringAsync())!;
        status["reason"]!.GetValue<string>().ShouldBe("Conflict");
        status["message"]!.GetValue<string>().ShouldBe("Operation cannot be fulfilled on deployments.apps \"checkout\": the object has been modified; please apply your changes to the latest version and try again");
        _simulator.Get("apps/v1", "Deployment", "default", "checkout")!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public async Task Merge_patch_carrying_a_stale_resourceVersion_is_a_Conflict()
    {
        using var response = await SendAsync(HttpMethod.Patch, Deployment, "application/merge-patch+json", """{"metadata":{"resourceVersion":"1"},"spec":{"replicas":7}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Patches_without_a_resourceVersion_racing_each_other_all_apply_as_the_registry_retries_them()
    {
        // Twenty writers at once, each adding its own annotation and scaling: none may fail or be lost.
        var writers = Enumerable.Range(0, 20).Select(async i =>
        {
            using var annotate = await SendAsync(HttpMethod.Patch, Deployment, "application/merge-patch+json", "{\"metadata\":{\"annotations\":{\"writer-" + i + "\":\"yes\"}}}");
            using var scale = await SendAsync(HttpMethod.Patch, Deployment + "/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":" + (i + 1) + "}}");
            return (Annotate: annotate.StatusCode, Scale: scale.StatusCode);
        });

        var answers = await Task.WhenAll(writers);

        answers.ShouldAllBe(a => a.Annotate == HttpStatusCode.OK && a.Scale == HttpStatusCode.OK);
        var annotations = _simulator.Get("apps/v1", "Deployment", "default", "checkout")!["metadata"]!["annotations"]!.AsObject();
        Enumerable.Range(0, 20).ShouldAllBe(i => annotations.ContainsKey($"writer-{i}"));
    }

    [Fact]
    public async Task Failing_json_patch_test_is_the_generic_Invalid_status()
    {
        using var response = await SendAsync(HttpMethod.Patch, Deployment, "application/json-patch+json",
            """[{"op":"test","path":"/spec/replicas","value":9},{"op":"replace","path":"/spec/replicas","value":1}]""");

        response.StatusCode.ShouldBe((HttpStatusCode)422);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","details":{},"code":422}""");
        _simulator.Get("apps/v1", "Deployment", "default", "checkout")!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Changing_the_selector_is_Invalid_with_a_cause()
    {
        using var response = await SendAsync(HttpMethod.Patch, Deployment, "application/merge-patch+json", """{"spec":{"selector":{"matchLabels":{"app":"other"}}}}""");

        response.StatusCode.ShouldBe((HttpStatusCode)422);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        status["details"]!["kind"]!.GetValue<string>().ShouldBe("Deployment");
        status["message"]!.GetValue<string>().ShouldStartWith("Deployment.apps \"checkout\" is invalid: [");
        status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ShouldContain("spec.selector");
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_is_UnsupportedMediaType()
    {
        using var response = await SendAsync(HttpMethod.Patch, "/apis/networking.istio.io/v1beta1/namespaces/default/virtualservices/reviews",
            "application/strategic-merge-patch+json", """{"spec":{"hosts":["x"]}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml","reason":"UnsupportedMediaType","code":415}""");
    }

    [Fact]
    public async Task Json_patch_on_a_custom_resource_moves_the_weights_and_bumps_generation()
    {
        using var response = await SendAsync(HttpMethod.Patch, "/apis/networking.istio.io/v1beta1/namespaces/default/virtualservices/reviews",
            "application/json-patch+json",
            """[{"op":"test","path":"/spec/http/0/route/0/destination/subset","value":"v1"},{"op":"replace","path":"/spec/http/0/route/0/weight","value":100},{"op":"replace","path":"/spec/http/0/route/1/weight","value":0}]""");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stored = _simulator.Get("networking.istio.io/v1beta1", "VirtualService", "default", "reviews")!;
        stored["spec"]!["http"]![0]!["route"]![1]!["weight"]!.GetValue<int>().ShouldBe(0);
        stored["metadata"]!["generation"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Posted_core_event_is_created_and_listed_without_kind_on_items()
    {
        using var created = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/events", "application/json", """
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"checkout.17a9c2f1e5b4a3d2","namespace":"default"},
             "involvedObject":{"kind":"Deployment","namespace":"default","name":"checkout","apiVersion":"apps/v1"},
             "reason":"RolledBack","message":"Rolled back deployment checkout to revision 1","type":"Normal","count":1}
            """);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var again = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/events", "application/json", """{"metadata":{"name":"checkout.17a9c2f1e5b4a3d2"}}""");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        JsonNode.Parse(await again.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>().ShouldBe("AlreadyExists");

        var list = JsonNode.Parse(await _http.GetStringAsync(new Uri("/api/v1/namespaces/default/events", UriKind.Relative)))!;

        list["kind"]!.GetValue<string>().ShouldBe("EventList");
        var item = list["items"]!.AsArray().Single()!;
        item["reason"]!.GetValue<string>().ShouldBe("RolledBack");
        item["kind"].ShouldBeNull();
        item["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string contentType, string body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await _http.SendAsync(request);
    }
}
