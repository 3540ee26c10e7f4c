using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Flags;

/// <summary>
/// Issue 12's "the shipped example works": the daemon on <c>config/watchdog.yaml</c> itself, with only what a
/// deployment changes overridden from the environment (the Prometheus, Kubernetes and Unleash addresses, the health
/// URLs, the store, <c>dry_run: false</c> for checkout, a 1 s interval and 1 s holds). checkout's plan, the flag
/// reduction and then the deployment undo, runs against a real Unleash 8.2 and the Kubernetes simulator: the error
/// rate follows the image, so the reduction does not help, the flag ends off, the undo brings the good image back and
/// the incident closes as recovered. wms-backend's stop-writes plan (a team lead's approval, then the flag that lets the
/// WMS write turned off, then the CI job that restores the backup) runs when its data-integrity check fails.
/// </summary>
[Collection(UnleashTestGroup.Name)]
public sealed class ShippedExampleEndToEndTests(UnleashServer unleash) : IAsyncLifetime, IDisposable
{
    private const string GoodImage = "checkout:1.0";
    private const string BadImage = "checkout:2.0";
    private const string TeamLeadToken = "lena-team-lead-5c1e9b7a2f";
    private readonly string _flag = $"checkout-v2-{Guid.NewGuid():N}"[..20];
    private readonly string _writesFlag = $"wms-writes-{Guid.NewGuid():N}"[..20];
    private double _integrityErrors;
    private readonly TempDirectory _dir = new();
    private KubernetesSimulator _cluster = null!;
    private LoopbackServer _prometheus = null!;
    private LoopbackServer _health = null!;
    private RecordingReceiver _ci = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _cluster.Create("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"checkout","namespace":"production","labels":{"app":"checkout"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"checkout"}},
              "template":{"metadata":{"labels":{"app":"checkout"}},"spec":{"containers":[{"name":"checkout","image":"IMAGE"}]}}}}
            """.Replace("IMAGE", GoodImage, StringComparison.Ordinal));
        await _cluster.SettleAsync(CancellationToken.None);
        await _cluster.SetImageAsync("production", "checkout", "checkout", BadImage);
        await _cluster.SettleAsync(CancellationToken.None);
        _prometheus = await LoopbackServer.StartAsync(AnswerAsync);
        _health = await LoopbackServer.StartAsync(http => http.Response.WriteAsync("ok", http.RequestAborted));
        await unleash.CreateFlagAsync(_flag, "production", new JsonObject
        {
            ["name"] = "flexibleRollout",
            ["parameters"] = new JsonObject { ["rollout"] = "50", ["stickiness"] = "default", ["groupId"] = _flag },
            ["constraints"] = new JsonArray(),
        });
        (await unleash.Admin.PostAsync($"api/admin/projects/default/features/{_flag}/environments/production/on", null)).EnsureSuccessStatusCode();
        await unleash.CreateFlagAsync(_writesFlag, "production", new JsonObject
        {
            ["name"] = "flexibleRollout",
            ["parameters"] = new JsonObject { ["rollout"] = "100", ["stickiness"] = "default", ["groupId"] = _writesFlag },
            ["constraints"] = new JsonArray(),
        });
        (await unleash.Admin.PostAsync($"api/admin/projects/default/features/{_writesFlag}/environments/production/on", null)).EnsureSuccessStatusCode();
        _ci = await RecordingReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _ci.DisposeAsync();
        await _health.DisposeAsync();
        await _prometheus.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    // The shipped signals' grouped queries are answered per (namespace, deployment); checkout's 5xx ratio is 20 %
    // while the bad image runs. Every other query reads 0, so nothing else in the example holds.
    private Task AnswerAsync(HttpContext http)
    {
        var query = http.Request.Query["query"].ToString();
        if (http.Request.HasFormContentType)
        {
            query = http.Request.Form["query"].ToString();
        }

        var bad = _cluster.ImageOf("production", "checkout") == BadImage;
        var answer = query.Contains("sum by (namespace, deployment", StringComparison.Ordinal)
            ? Series(("production", "checkout", query.Contains("code=~", StringComparison.Ordinal) && bad ? 0.2 : 0.0), ("production", "wakala-api", 0.0), ("production", "backend", 0.0))
            : PrometheusAnswer.Vector(query.Contains("data_integrity_check_failures_total", StringComparison.Ordinal) ? _integrityErrors : 0);
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(answer.Body, http.RequestAborted);
    }

    private static PrometheusAnswer Series(params (string Namespace, string Deployment, double Value)[] series)
    {
        var result = new JsonArray([.. series.Select(s => (JsonNode)new JsonObject
        {
            ["metric"] = new JsonObject { ["namespace"] = s.Namespace, ["deployment"] = s.Deployment },
            ["value"] = new JsonArray(1700000000, s.Value.ToString("R", CultureInfo.InvariantCulture)),
        })]);
        var body = new JsonObject { ["status"] = "success", ["data"] = new JsonObject { ["resultType"] = "vector", ["result"] = result } };
        return new PrometheusAnswer(200, "application/json", body.ToJsonString());
    }

    // What a deployment of the shipped file sets: where the servers are, the store, and checkout out of dry run.
    private Dictionary<string, string> Environment() => new()
    {
        ["UNLEASH_ADMIN_TOKEN"] = unleash.AdminToken,
        ["WATCHDOG__STORE__PATH"] = Path.Combine(_dir.Path, "watchdog.db"),
        ["WATCHDOG__REPORTS__DIRECTORY"] = Path.Combine(_dir.Path, "reports"),
        ["WATCHDOG__SOURCES__PROMETHEUS__URL"] = _prometheus.Url.AbsoluteUri,
        ["WATCHDOG__KUBERNETES__SERVER"] = _cluster.Url.AbsoluteUri,
        ["WATCHDOG__FLAGS__0__URL"] = unleash.Url.AbsoluteUri,
        ["WATCHDOG__DEFAULTS__INTERVAL"] = "1s",
        ["WATCHDOG__DEFAULTS__RECOVERY_WINDOW"] = "3s",
        ["WATCHDOG__TARGETS__0__DRY_RUN"] = "false",
        ["WATCHDOG__TARGETS__0__PLANS__ROLLBACK__0__FLAG"] = _flag,
        ["WATCHDOG__TARGETS__0__PLANS__ROLLBACK__0__HOLD"] = "1s",
        ["WATCHDOG__TARGETS__0__HEALTH__0__URL"] = _health.UrlOf("healthz").AbsoluteUri,
        ["WATCHDOG__TARGETS__1__HEALTH__0__URL"] = _health.UrlOf("healthz").AbsoluteUri,
        ["WATCHDOG__TARGETS__2__HEALTH__0__URL"] = _health.UrlOf("health").AbsoluteUri,
    };

    [Fact]
    public async Task CheckoutsShippedPlan_ReducesTheFlagToOff_ThenUndoesTheDeployment_AndTheIncidentClosesAsRecovered()
    {
        var environment = Environment();
        await using var daemon = await DaemonProcess.StartAsync(RepositoryPaths.Of("config", "watchdog.yaml"), environment: environment);
        using var api = new DaemonApi(daemon);

        // The shipped rule's `for: 30s`, the four 1 s holds, the undo and the recovery window.
        var incident = await api.UntilAsync(
            async () => await api.GetJsonAsync("api/v1/incidents?target=checkout&status=closed") is { ValueKind: JsonValueKind.Array } closed && closed.GetArrayLength() > 0 ? closed[0] : (JsonElement?)null,
            "checkout's incident closed",
            TimeSpan.FromSeconds(150));

        incident.GetProperty("closeReason").GetString().ShouldBe("recovered", daemon.Log);
        _cluster.ImageOf("production", "checkout").ShouldBe(GoodImage);
        (await unleash.EnabledAsync(_flag, "production")).ShouldBeFalse();
        var strategy = (await unleash.StrategiesAsync(_flag, "production")).Single()!;
        strategy["parameters"]!["rollout"]!.GetValue<string>().ShouldBe("0");
        strategy["parameters"]!["groupId"]!.GetValue<string>().ShouldBe(_flag);
        var texts = Strings(await api.ReportAsync(incident.GetProperty("id").GetInt64())).ToList();
        foreach (var step in new[] { "50 % → 25 %", "25 % → 10 %", "10 % → 5 %", "5 % → 0 %" })
        {
            texts.ShouldContain(t => t.StartsWith($"Reducing {_flag}: {step}", StringComparison.Ordinal), string.Join("\n", texts));
        }

        texts.ShouldContain(t => t.StartsWith("step 2: deployment-undo succeeded", StringComparison.Ordinal));
    }

    // Every string in an API answer (the timeline's summaries among them), as the daemon wrote them.
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    [Fact]
    public async Task WmsBackendsStopWritesPlan_RunsWhenATeamLeadApproves_TurningTheWritesFlagOff_AndTriggeringTheRestore()
    {
        _integrityErrors = 3;
        var environment = Environment();
        environment["WMS_CI_TOKEN"] = "ci-token-4d2a";
        environment["WATCHDOG__HTTP__TOKENS__0__NAME"] = "lena";
        environment["WATCHDOG__HTTP__TOKENS__0__ROLE"] = "team-lead";
        environment["WATCHDOG__HTTP__TOKENS__0__TOKEN"] = TeamLeadToken;
        environment["WATCHDOG__TARGETS__2__DRY_RUN"] = "false";
        environment["WATCHDOG__TARGETS__2__PLANS__STOP-WRITES__0__FLAG"] = _writesFlag;
        environment["WATCHDOG__TARGETS__2__PLANS__STOP-WRITES__1__URL"] = _ci.Endpoint("restore").AbsoluteUri;
        await using var daemon = await DaemonProcess.StartAsync(RepositoryPaths.Of("config", "watchdog.yaml"), environment: environment);
        using var api = new DaemonApi(daemon);

        // The tree's data_issues holds for 30 s, then stop-writes waits for a team lead.
        var approval = await api.UntilAsync(
            async () => (await api.GetJsonAsync("api/v1/approvals", TeamLeadToken)).EnumerateArray()
                .Where(a => a.GetProperty("target").GetString() == "wms-backend")
                .Select(a => (long?)a.GetProperty("id").GetInt64())
                .FirstOrDefault(),
            "wms-backend's stop-writes asked for approval",
            TimeSpan.FromSeconds(120));
        (await unleash.EnabledAsync(_writesFlag, "production")).ShouldBeTrue("nothing changes before the approval");
        var (status, body) = await api.PostAsync($"api/v1/approvals/{approval}/approve", """{"comment":"integrity check failing"}""", TeamLeadToken);
        status.ShouldBe(200, body);

        await api.UntilAsync(() => Task.FromResult(_ci.RequestsTo("restore").Count > 0), "the restore job was triggered");
        (await unleash.EnabledAsync(_writesFlag, "production")).ShouldBeFalse();
        (await unleash.StrategiesAsync(_writesFlag, "production")).Single()!["parameters"]!["rollout"]!.GetValue<string>().ShouldBe("0");
        var completed = await api.UntilAsync<JsonElement>(
            async () => (await api.IncidentsOfAsync("wms-backend")).Select(i => (long?)i.GetProperty("id").GetInt64()).FirstOrDefault() is { } id
                && Strings(await api.ReportAsync(id)).FirstOrDefault(t => t.StartsWith("stop-writes completed", StringComparison.Ordinal)) is { } line
                    ? JsonSerializer.SerializeToElement(line)
                    : null,
            "the stop-writes run completed");
        completed.GetString()!.ShouldContain("watching for recovery");
    }
}
