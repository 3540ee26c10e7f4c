using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Kubernetes;
using Watchdog.Sandbox;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// <c>statefulset-undo</c> and <c>daemonset-undo</c> when the cluster moves under them: the object deleted before or
/// during the step, or changed by someone else between Watchdog's read and its PATCH.
/// </summary>
public sealed class ControllerRevisionUndoFailureTests : IAsyncLifetime, IDisposable
{
    private readonly InterceptingHandler _handler = new();
    private readonly HttpClient _http = new();
    private SimulatedCluster _cluster = null!;
    private KubernetesConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SimulatedCluster.StartAsync(SandboxCommand.DbStatefulSet, SandboxCommand.AgentDaemonSet);
        _http.BaseAddress = _cluster.Simulator.Url;
        foreach (var version in new[] { "16", "17" })
        {
            await SendAsync(HttpMethod.Patch, "statefulsets/db", SetImage("db", $"postgres:{version}"));
            await SendAsync(HttpMethod.Patch, "daemonsets/node-agent", SetImage("agent", $"node-agent:{version}"));
            await _cluster.Simulator.SettleAsync(CancellationToken.None);
        }

        _connection = new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = _cluster.Simulator.Url.AbsoluteUri }, TimeProvider.System, handler: _handler));
    }

    public async Task DisposeAsync()
    {
        _connection.Dispose();
        await _cluster.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_deleted_statefulset_is_a_not_found_failure()
    {
        await SendAsync(HttpMethod.Delete, "statefulsets/db", null);

        var result = await _cluster.RunAsync(new StatefulSetUndoAction(_connection), new() { ["statefulset"] = "db" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("statefulset default/db not found");
        result.Before.ShouldBeNull();
    }

    [Fact]
    public async Task A_daemonset_deleted_between_the_read_and_the_patch_is_a_not_found_failure()
    {
        _handler.Before = async r =>
        {
            if (r.Method == "PATCH")
            {
                await SendAsync(HttpMethod.Delete, "daemonsets/node-agent", null);
            }
        };

        var result = await _cluster.RunAsync(new DaemonSetUndoAction(_connection), new() { ["daemonset"] = "node-agent" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("daemonset default/node-agent not found");
        result.Before.ShouldBe("node-agent:17 (revision 3)");
        result.RolledBackFrom.ShouldBeNull();
    }

    [Theory]
    [InlineData("statefulset", "db", "db", "StatefulSet")]
    [InlineData("daemonset", "node-agent", "agent", "DaemonSet")]
    public async Task A_change_by_someone_else_after_the_read_is_a_conflict_and_the_object_keeps_that_change(string parameter, string name, string container, string kind)
    {
        _handler.Before = async r =>
        {
            if (r.Method == "PATCH")
            {
                await SendAsync(HttpMethod.Patch, $"{parameter}s/{name}", SetImage(container, "hotfix:1"));
            }
        };
        IRollbackAction action = parameter == "daemonset" ? new DaemonSetUndoAction(_connection) : new StatefulSetUndoAction(_connection);

        var result = await _cluster.RunAsync(action, new() { [parameter] = name });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe($"conflict: the {parameter} changed, not rolled back");
        result.RolledBackFrom.ShouldBeNull();
        var after = _cluster.Simulator.Get("apps/v1", kind, "default", name)!;
        after["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("hotfix:1");
        _handler.Requests.Count(r => r.Method == "PATCH").ShouldBe(1);
    }

    private static string SetImage(string container, string image) =>
        new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = image }) } } } }.ToJsonString();

    private async Task SendAsync(HttpMethod method, string resource, string? body)
    {
        using var request = new HttpRequestMessage(method, new Uri($"/apis/apps/v1/namespaces/default/{resource}", UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/strategic-merge-patch+json");
        }

        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
