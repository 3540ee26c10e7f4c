using System.Text;
using System.Text.Json;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// Secrets in the configuration and in the cluster stay out of what Watchdog shows and keeps: a webhook step's
/// <c>?token=</c> and its secret-looking parameters read as <c>***</c> in the incident report (JSON and Markdown), on the
/// timeline, in the store and the log, while the receiver still gets the real values; the saved workload state has no
/// <c>env</c> values; a source URL with a password in it is refused; reads can be put behind a token; and a daemon
/// open to the network without tokens says so when it starts.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class SecretsFaultTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string QueryToken = "query-token-5e1d9c7b";
    private const string ApiKey = "step-api-key-8a2f6c1e";
    private const string Password = "step-password-3b7d40";
    private const string ClientSecret = "step-client-secret-4c9e";
    private const string Authorization = "Basic step-authorization-6f2a";
    private const string EnvValue = "env-value-db-pass-1d4e";
    private const string InitEnvValue = "init-env-value-7c3a92";
    private const string PrometheusPassword = "prom-userinfo-pass-2e8b";
    private const string ReaderToken = "reader-token-0b5f3e7a19";

    private static readonly string[] StepSecrets = [QueryToken, ApiKey, Password, ClientSecret, Authorization];

    private readonly TempDirectory _dir = new();
    private FakePrometheus _prometheus = null!;
    private RecordingReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _prometheus = await FakePrometheus.StartAsync();
        _prometheus.Default = PrometheusAnswer.Vector(0.5);
        _receiver = await RecordingReceiver.StartAsync();
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _prometheus.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task IncidentReportOfAWebhookStep_ShowsItsQueryAndSecretParametersAsStars()
    {
        var step = new Uri(_receiver.Endpoint("step") + $"?token={QueryToken}&job=nightly");
        await using var daemon = await DaemonProcess.StartAsync(Config($$$"""
            targets:
              - name: web
                policy: error-rate
                plans:
                  rollback:
                    - action: webhook
                      url: "{{{step}}}"
                      api_key: "{{{ApiKey}}}"
                      password: "{{{Password}}}"
                      client_secret: "{{{ClientSecret}}}"
                      authorization: "{{{Authorization}}}"
                      runbook: restore-nightly
            """), output);
        using var api = new DaemonApi(daemon);

        var run = await api.RunOfAsync("web", "succeeded", "failed", "interrupted");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());

        // The action itself still works with the real values.
        var sent = _receiver.RequestsTo("step").ShouldHaveSingleItem();
        sent.Query.ShouldBe($"?token={QueryToken}&job=nightly");
        sent.Body.ShouldContain(ApiKey);
        sent.Body.ShouldContain(Password);

        var parameters = run.GetProperty("steps")[0].GetProperty("parameters");
        parameters.GetProperty("url").GetString().ShouldBe($"{_receiver.Endpoint("step")}?token=***&job=***");
        foreach (var name in new[] { "api_key", "password", "client_secret", "authorization" })
        {
            parameters.GetProperty(name).GetString().ShouldBe("***", name);
        }

        parameters.GetProperty("runbook").GetString().ShouldBe("restore-nightly", "a parameter that is no secret is shown as it is");
        run.GetProperty("steps")[0].GetProperty("result").GetProperty("summary").GetString().ShouldBe($"POST {_receiver.Endpoint("step")}?token=***&job=*** answered 200");

        var id = (await api.IncidentsOfAsync("web"))[0].GetProperty("id").GetInt64();
        var (status, markdown) = await api.GetAsync($"api/v1/incidents/{id}?format=md");
        status.ShouldBe(200);
        markdown.ShouldContain("token=***");
        markdown.ShouldContain("api_key=***");
        markdown.ShouldContain("runbook=restore-nightly");
        var json = (await api.ReportAsync(id)).GetRawText();
        var timeline = string.Join('\n', (await api.ReportAsync(id)).GetProperty("timeline").EnumerateArray().Select(e => e.GetRawText()));
        timeline.ShouldContain("token=***");
        foreach (var secret in StepSecrets)
        {
            markdown.ShouldNotContain(secret, Case.Sensitive, "the Markdown report");
            json.ShouldNotContain(secret, Case.Sensitive, "the JSON report");
        }

        await AssertNowhereAsync(daemon, StepSecrets);
    }

    [Fact]
    public async Task StateSavedEvent_KeepsPodEnvValuesOut()
    {
        await using var cluster = await ProxiedCluster.StartAsync();
        cluster.Simulator.Create("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"envapp","namespace":"NAMESPACE","labels":{"app":"envapp"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"envapp"}},
              "template":{"metadata":{"labels":{"app":"envapp"}},"spec":{
                "initContainers":[{"name":"migrate","image":"migrate:1.0","env":[{"name":"MIGRATE_PASSWORD","value":"INIT_ENV_VALUE"}]}],
                "containers":[{"name":"envapp","image":"envapp:1.0","env":[
                  {"name":"DB_PASSWORD","value":"ENV_VALUE"},
                  {"name":"API_KEY","valueFrom":{"secretKeyRef":{"name":"envapp-secrets","key":"api-key"}}}]}]}}}}
            """.Replace("NAMESPACE", ProxiedCluster.Namespace, StringComparison.Ordinal)
            .Replace("INIT_ENV_VALUE", InitEnvValue, StringComparison.Ordinal)
            .Replace("ENV_VALUE", EnvValue, StringComparison.Ordinal));
        await cluster.Simulator.SettleAsync(CancellationToken.None);
        await cluster.Simulator.SetImageAsync(ProxiedCluster.Namespace, "envapp", "envapp", "envapp:2.0");
        _dir.Write("kubeconfig.yaml", cluster.Kubeconfig);
        await using var daemon = await DaemonProcess.StartAsync(Config($$$"""
            kubernetes: {kubeconfig: kubeconfig.yaml}
            targets:
              - {name: envapp, policy: error-rate, plans: {rollback: [{action: deployment-undo, deployment: envapp, namespace: {{{ProxiedCluster.Namespace}}}}]}}
            """), output);
        using var api = new DaemonApi(daemon);

        var run = await api.RunOfAsync("envapp", "succeeded", "failed", "interrupted");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        cluster.ImageOf("envapp").ShouldBe("envapp:1.0");

        var report = (await api.ReportOfAsync("envapp"))!.Value;
        var saved = report.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "state-saved").GetProperty("detail");
        var spec = saved.GetProperty("spec").GetProperty("template").GetProperty("spec");
        var env = spec.GetProperty("containers")[0].GetProperty("env");
        env[0].GetProperty("name").GetString().ShouldBe("DB_PASSWORD");
        env[0].TryGetProperty("value", out _).ShouldBeFalse(env.ToString());
        env[1].GetProperty("name").GetString().ShouldBe("API_KEY");
        env[1].GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("key").GetString().ShouldBe("api-key", "valueFrom names no secret and is kept");
        var initEnv = spec.GetProperty("initContainers")[0].GetProperty("env")[0];
        initEnv.GetProperty("name").GetString().ShouldBe("MIGRATE_PASSWORD");
        initEnv.TryGetProperty("value", out _).ShouldBeFalse(initEnv.ToString());
        report.GetRawText().ShouldNotContain(EnvValue);
        report.GetRawText().ShouldNotContain(InitEnvValue);

        await AssertNowhereAsync(daemon, [EnvValue, InitEnvValue]);
    }

    [Fact]
    public async Task PrometheusUrlWithUserinfo_IsRefusedByValidationWithTheBasicAuthHint()
    {
        var withUserinfo = new UriBuilder(_prometheus.Url) { UserName = "watchdog", Password = PrometheusPassword }.Uri;
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{withUserinfo}}}", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            targets:
              - name: web
                policy: error-rate
                health:
                  - {url: "http://probe:{{{PrometheusPassword}}}@127.0.0.1:9/healthz"}
            """);

        var result = await DaemonProcess.RunToExitAsync(["validate", "--config", config], _dir.Path, TimeSpan.FromSeconds(60));

        result.ExitCode.ShouldBe(1, result.Output + result.Errors);
        result.Output.ShouldContain($"{config}:3 sources.prometheus.url: a user name or password in the URL is refused (it would show wherever the URL is shown); use basic_auth");
        result.Output.ShouldContain($"{config}:11 targets[0].health[0].url: a user name or password in the URL is refused");
        (result.Output + result.Errors).ShouldNotContain(PrometheusPassword);

        var run = await DaemonProcess.RunToExitAsync(["run", "--config", config], _dir.Path, TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["WATCHDOG__HTTP__LISTEN"] = $"http://127.0.0.1:{LoopbackPorts.Free()}" });
        run.ExitCode.ShouldBe(1, "the daemon does not start on it");
        (run.Output + run.Errors).ShouldNotContain(PrometheusPassword);
    }

    [Fact]
    public async Task ReadsWithReadRequiresToken_Answer401WithoutAToken()
    {
        _prometheus.Default = PrometheusAnswer.Vector(0.01);
        await using var daemon = await DaemonProcess.StartAsync(Config($$$"""
            http:
              read_requires_token: true
              tokens: [{name: reader, role: on-call, token: "{{{ReaderToken}}}"}]
            targets:
              - {name: web, policy: error-rate, plans: {rollback: [{action: webhook, url: "{{{_receiver.Endpoint("step")}}}"}]}}
            """), output);
        using var api = new DaemonApi(daemon);
        string[] reads = ["api/v1/incidents", "api/v1/incidents/1", "api/v1/incidents/1?format=md", "api/v1/stats", "api/v1/targets", "api/v1/targets/web", "api/v1/alerts", "api/v1/approvals"];

        foreach (var path in reads)
        {
            foreach (var token in new[] { null, "not-the-reader-token" })
            {
                var (status, body) = await api.GetAsync(path, token);
                status.ShouldBe(401, $"GET {path} with {token ?? "no token"}: {body}");
                using var error = JsonDocument.Parse(body);
                error.RootElement.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace(body);
            }

            var (allowed, answer) = await api.GetAsync(path, ReaderToken);
            allowed.ShouldBeOneOf([200, 404], $"GET {path} with the token: {answer}");
        }

        (await api.GetAsync("api/v1/incidents/1", ReaderToken)).Status.ShouldBe(404, "no incident: the read went through to the store");
        (await api.GetAsync("healthz")).Status.ShouldBe(200, "the probes stay open");
        (await api.GetAsync("readyz")).Status.ShouldBe(200);
        daemon.Log.ShouldNotContain(ReaderToken);
    }

    [Fact]
    public async Task NonLoopbackListenWithoutTokens_WarnsAtStart()
    {
        _prometheus.Default = PrometheusAnswer.Vector(0.01);
        var config = Config($$$"""
            targets:
              - {name: web, policy: error-rate, plans: {rollback: [{action: webhook, url: "{{{_receiver.Endpoint("step")}}}"}]}}
            """);
        const string warning = "with no API tokens configured (http.tokens)";

        await using (var open = await DaemonProcess.StartAsync(config, output, listenAddress: "0.0.0.0"))
        {
            var lines = open.Log.Split('\n').Where(line => line.Contains(warning, StringComparison.Ordinal)).ToList();
            lines.ShouldHaveSingleItem(open.Log).ShouldContain($"listens on http://0.0.0.0:{open.Port}");
        }

        await using var loopback = await DaemonProcess.StartAsync(config, output);
        loopback.Log.ShouldNotContain(warning, Case.Sensitive, "on loopback only this machine can read");
    }

    private string Config(string rest) => _dir.Write("watchdog.yaml", $$$"""
        store: {path: watchdog.db}
        sources:
          prometheus: {url: "{{{_prometheus.Url}}}", timeout: 2s}
        signals:
          error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
        policies: [policy.yaml]
        defaults: {interval: 500ms, dry_run: false}
        {{{rest}}}
        """);

    // The store is read as bytes, the WAL and its index included: a secret must not be kept in any page of it.
    private async Task AssertNowhereAsync(DaemonProcess daemon, IReadOnlyList<string> secrets)
    {
        await daemon.KillAsync();
        var files = Directory.GetFiles(_dir.Path, "watchdog.db*");
        files.ShouldNotBeEmpty();
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var secret in secrets)
            {
                bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)).ShouldBe(-1, $"{secret} in {Path.GetFileName(file)}");
            }
        }

        foreach (var secret in secrets)
        {
            daemon.Log.ShouldNotContain(secret, Case.Sensitive, "the daemon log");
        }
    }
}
