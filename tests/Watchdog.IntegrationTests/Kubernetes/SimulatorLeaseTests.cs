using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// The simulator serves <c>coordination.k8s.io/v1</c> Leases as the API server does for leader election (spec §5.4, §7):
/// create once, update only with the resourceVersion last read (stale: 409 Conflict; none: 422, a Lease's strategy refuses
/// unconditional updates), MicroTime fields kept as written, and real kubectl can list them with their holder.
/// </summary>
public sealed class SimulatorLeaseTests : IAsyncLifetime, IDisposable
{
    private const string Leases = "/apis/coordination.k8s.io/v1/namespaces/default/leases";
    private const string Lease = Leases + "/watchdog";
    private readonly HttpClient _http = new();
    private readonly TempDirectory _home = new();
    private KubernetesSimulator _simulator = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(), CancellationToken.None);
        _http.BaseAddress = _simulator.Url;
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _home.Dispose();
    }

    private static string Record(string holder, int transitions, string? resourceVersion = null) => new JsonObject
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = resourceVersion is null
            ? new JsonObject { ["name"] = "watchdog", ["namespace"] = "default" }
            : new JsonObject { ["name"] = "watchdog", ["namespace"] = "default", ["resourceVersion"] = resourceVersion },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = holder,
            ["leaseDurationSeconds"] = 15,
            ["acquireTime"] = "2026-12-04T19:00:00.123456Z",
            ["renewTime"] = "2026-12-04T19:00:02.654321Z",
            ["leaseTransitions"] = transitions,
        },
    }.ToJsonString();

    [Fact]
    public async Task Create_then_create_again_is_AlreadyExists_in_the_servers_words()
    {
        using (var created = await SendAsync(HttpMethod.Post, Leases, Record("watchdog-0_a1", 0)))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using var again = await SendAsync(HttpMethod.Post, Leases, Record("watchdog-1_b2", 0));

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).ShouldBe(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"leases.coordination.k8s.io \"watchdog\" already exists","reason":"AlreadyExists","details":{"name":"watchdog","group":"coordination.k8s.io","kind":"leases"},"code":409}""");
    }

    [Fact]
    public async Task Update_with_the_resourceVersion_read_wins_once_and_the_loser_of_the_race_gets_a_Conflict()
    {
        using (await SendAsync(HttpMethod.Post, Leases, Record("watchdog-0_a1", 0)))
        {
        }

        var read = await GetAsync();
        var version = read["metadata"]!["resourceVersion"]!.GetValue<string>();

        // Two replicas read the same version and both try to take the lease: the API server lets exactly one through.
        using var first = await SendAsync(HttpMethod.Put, Lease, Record("watchdog-1_b2", 1, version));
        using var second = await SendAsync(HttpMethod.Put, Lease, Record("watchdog-2_c3", 1, version));

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        JsonNode.Parse(await second.Content.ReadAsStringAsync())!["message"]!.GetValue<string>().ShouldBe(
            "Operation cannot be fulfilled on leases.coordination.k8s.io \"watchdog\": the object has been modified; please apply your changes to the latest version and try again");
        var stored = await GetAsync();
        stored["spec"]!["holderIdentity"]!.GetValue<string>().ShouldBe("watchdog-1_b2");
        stored["spec"]!["leaseTransitions"]!.GetValue<int>().ShouldBe(1);
        stored["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldNotBe(version);
        stored["spec"]!["renewTime"]!.GetValue<string>().ShouldBe("2026-12-04T19:00:02.654321Z");
    }

    [Fact]
    public async Task Update_without_a_resourceVersion_is_Invalid_because_a_Lease_refuses_unconditional_updates()
    {
        using (await SendAsync(HttpMethod.Post, Leases, Record("watchdog-0_a1", 0)))
        {
        }

        using var blind = await SendAsync(HttpMethod.Put, Lease, Record("watchdog-1_b2", 1));

        blind.StatusCode.ShouldBe((HttpStatusCode)422);
        var status = JsonNode.Parse(await blind.Content.ReadAsStringAsync())!;
        status["reason"]!.GetValue<string>().ShouldBe("Invalid");
        status["message"]!.GetValue<string>().ShouldBe(
            "leases.coordination.k8s.io \"watchdog\" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update");
        status["details"]!["kind"]!.GetValue<string>().ShouldBe("leases");
        status["details"]!["causes"]![0]!["field"]!.GetValue<string>().ShouldBe("metadata.resourceVersion");
        (await GetAsync())["spec"]!["holderIdentity"]!.GetValue<string>().ShouldBe("watchdog-0_a1");
    }

    [Fact]
    public async Task Kubectl_get_lease_prints_the_holder()
    {
        using (await SendAsync(HttpMethod.Post, Leases, Record("watchdog-0_a1", 0)))
        {
        }

        var (code, output, error) = await new Kubectl(_simulator.Url, _home.Path).RunAsync("get", "lease");

        code.ShouldBe(0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "HOLDER", "AGE"]);
        lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2].ShouldBe(["watchdog", "watchdog-0_a1"]);
    }

    private async Task<JsonNode> GetAsync() => JsonNode.Parse(await _http.GetStringAsync(new Uri(Lease, UriKind.Relative)))!;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return await _http.SendAsync(request);
    }
}
