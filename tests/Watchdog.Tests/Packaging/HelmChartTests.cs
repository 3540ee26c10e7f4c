using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Json.Schema;
using Watchdog.Configuration;

namespace Watchdog.Tests.Packaging;

/// <summary>
/// The Helm chart's static files, checked without Helm (not installable here): Chart.yaml and values.yaml lint clean,
/// values.yaml satisfies values.schema.json and bad values do not, every <c>.Values.x.y</c> a template reads exists,
/// and the files it ships are the repository's own. What only a rendering would show is listed in docs/installing.md.
/// </summary>
public sealed partial class HelmChartTests
{
    private static readonly string Chart = RepositoryPaths.Of("helm", "watchdog");

    [Fact]
    public async Task ChartYaml_ValuesYaml_AndTheRbacRules_PassYamllint()
    {
        var (code, output) = await ExternalTool.RunAsync("yamllint", "apt-get install -y --no-install-recommends yamllint",
            ["--strict", "-d", "{extends: default, rules: {line-length: {max: 160}}}", "Chart.yaml", "values.yaml", "files/rbac-rules.yaml"], workingDirectory: Chart);

        code.ShouldBe(0, output);
        output.ShouldBeEmpty();
    }

    [Fact]
    public void ChartYaml_IsApiVersion2_WithTheProjectsVersionAsAppVersion()
    {
        var chart = YamlJson.Load(Path.Combine(Chart, "Chart.yaml"))!;
        var version = XDocument.Load(RepositoryPaths.Of("src", "Watchdog", "Watchdog.csproj")).Descendants("Version").Single().Value;

        chart["apiVersion"]!.GetValue<string>().ShouldBe("v2");
        chart["name"]!.GetValue<string>().ShouldBe("watchdog");
        chart["appVersion"]!.GetValue<string>().ShouldBe(version);
    }

    [Fact]
    public void ValuesYaml_SatisfiesTheSchema()
    {
        var result = Evaluate(Values());

        result.IsValid.ShouldBeTrue(Describe(result));
    }

    [Theory]
    [InlineData("/replicaCount", "\"two\"")]
    [InlineData("/rbac/namespaces", "[\"Bad_Namespace\"]")]
    [InlineData("/ha/leaseDuration", "\"fifteen seconds\"")]
    [InlineData("/config/store", "{\"kind\":\"sqlite\"}")]
    [InlineData("/apiTokens", "[{\"name\":\"alice\",\"role\":\"admin\",\"secretKey\":\"alice\"}]")]
    [InlineData("/apiTokens", "[{\"name\":\"alice\",\"role\":\"on-call\",\"token\":\"in clear\",\"secretKey\":\"alice\"}]")]
    [InlineData("/imageTag", "\"1.0\"")]
    public void BadValues_AreRejectedByTheSchema(string location, string json)
    {
        var values = Values();
        var segments = location.Trim('/').Split('/');
        var parent = segments[..^1].Aggregate((JsonNode)values, (node, key) => node[key]!);
        parent[segments[^1]] = JsonNode.Parse(json);

        Evaluate(values).IsValid.ShouldBeFalse($"{location} = {json} should be refused");
    }

    [Fact]
    public void EveryValueTheTemplatesRead_IsInValuesYaml()
    {
        var values = Values();
        var templates = Directory.GetFiles(Path.Combine(Chart, "templates"));
        var referenced = templates
            .SelectMany(file => ValuesReference().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Path: m.Groups[1].Value)))
            .Distinct()
            .ToList();

        referenced.Count.ShouldBeGreaterThan(40, "the scan found the templates' references");
        var missing = referenced.Where(r => !Exists(values, r.Path.Split('.', StringSplitOptions.RemoveEmptyEntries))).Select(r => $"{r.File}: .Values{r.Path}").ToList();
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void TheTerminationGracePeriod_IsAboveTheDaemonsShutdownGrace()
    {
        var values = Values();
        var grace = values["ha"]!["shutdownGraceSeconds"]!.GetValue<long>();

        grace.ShouldBe((long)new HaOptions().ShutdownGrace.TotalSeconds, "the chart's default is the daemon's");
        values["terminationGraceExtraSeconds"]!.GetValue<long>().ShouldBeGreaterThan(0);
        File.ReadAllText(Path.Combine(Chart, "templates", "deployment.yaml"))
            .ShouldContain("terminationGracePeriodSeconds: {{ add .Values.ha.shutdownGraceSeconds .Values.terminationGraceExtraSeconds }}");
    }

    [Fact]
    public void ThePrometheusRulesAndTheDashboard_AreTheShippedFiles()
    {
        File.ReadAllText(Path.Combine(Chart, "files", "watchdog-rules.yaml")).ShouldBe(File.ReadAllText(RepositoryPaths.Of("config", "prometheus", "watchdog-rules.yaml")));
        File.ReadAllText(Path.Combine(Chart, "files", "watchdog-dashboard.json")).ShouldBe(File.ReadAllText(RepositoryPaths.Of("config", "grafana", "watchdog-dashboard.json")));
        File.ReadAllText(Path.Combine(Chart, "templates", "prometheusrule.yaml")).ShouldContain(".Files.Get \"files/watchdog-rules.yaml\"");
        File.ReadAllText(Path.Combine(Chart, "templates", "grafana-dashboard.yaml")).ShouldContain(".Files.Get \"files/watchdog-dashboard.json\"");
    }

    [Fact]
    public void TheRbacRules_NameNoSecretsAndNoWildcards_AndEveryRoleIncludesThem()
    {
        var rules = YamlJson.Load(Path.Combine(Chart, "files", "rbac-rules.yaml"))!.AsObject();
        var all = rules.SelectMany(group => group.Value!.AsArray()).ToList();

        all.Count.ShouldBeGreaterThan(0);
        foreach (var rule in all)
        {
            var words = new[] { "apiGroups", "resources", "verbs" }.SelectMany(k => rule![k]!.AsArray().Select(v => v!.GetValue<string>())).ToList();
            words.ShouldNotContain("*");
            words.ShouldNotContain(w => w.StartsWith("secrets", StringComparison.Ordinal));
        }

        var helpers = File.ReadAllText(Path.Combine(Chart, "templates", "_helpers.tpl"));
        helpers.ShouldContain(".Files.Get \"files/rbac-rules.yaml\"");
        File.ReadAllText(Path.Combine(Chart, "templates", "rbac.yaml")).Split("rules:").Length.ShouldBe(4, "the ClusterRole, the per-namespace Role and the Lease Role include the file's rules");
    }

    [Fact]
    public void TheDeployment_RunsHardened_AndIsProbed()
    {
        var deployment = File.ReadAllText(Path.Combine(Chart, "templates", "deployment.yaml"));

        foreach (var setting in new[]
                 {
                     "runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false", "drop: [\"ALL\"]",
                     "type: RuntimeDefault", "path: /healthz", "path: /readyz", "preferredDuringSchedulingIgnoredDuringExecution",
                 })
        {
            deployment.ShouldContain(setting);
        }

        File.ReadAllText(Path.Combine(Chart, "templates", "configmap.yaml")).ShouldContain("lock: kubernetes");
        Values()["replicaCount"]!.GetValue<long>().ShouldBe(2);
        Values()["podDisruptionBudget"]!["minAvailable"]!.GetValue<long>().ShouldBe(1);
    }

    private static JsonObject Values() => YamlJson.Load(Path.Combine(Chart, "values.yaml"))!.AsObject();

    private static EvaluationResults Evaluate(JsonNode values)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(Chart, "values.schema.json")));
        using var document = JsonDocument.Parse(values.ToJsonString());
        return schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    private static bool Exists(JsonNode? node, string[] path) =>
        path.Length == 0 || node is JsonObject map && map.TryGetPropertyValue(path[0], out var child) && Exists(child, path[1..]);

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesReference();
}
