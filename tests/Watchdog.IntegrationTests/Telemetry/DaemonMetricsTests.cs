using System.Text.Json;
using System.Text.RegularExpressions;

namespace Watchdog.IntegrationTests.Telemetry;

/// <summary>
/// The /metrics of a daemon that has decided, acted, asked for an approval, taken an alert and notified: promtool
/// accepts it, a real Prometheus scrapes it, and every query of the shipped dashboard and rules runs against that
/// Prometheus and names only metrics the daemon exports.
/// </summary>
public sealed partial class DaemonMetricsTests(MetricsDaemon daemon) : IClassFixture<MetricsDaemon>
{
    /// <summary>
    /// Exported only once something sets it: the flag actions call <c>FlagRolloutGauge.Set</c>, and this daemon runs
    /// none. A name here may be missing from /metrics; every other name the queries use must be in it.
    /// </summary>
    private static readonly HashSet<string> SetOnlyByFlagActions = new(StringComparer.Ordinal) { "watchdog_flag_rollout_percent" };

    // What Grafana puts in place of its variables when it runs a panel's query.
    private static readonly (string Variable, string Value)[] GrafanaVariables =
        [("$__rate_interval", "1m"), ("$__interval", "15s"), ("$__range", "1h"), ("$target", ".*")];

    [Fact]
    public async Task PromtoolCheckMetrics_AcceptsTheWholeOutput()
    {
        var (code, output) = await Promtool.RunAsync(["check", "metrics"], daemon.Metrics);

        code.ShouldBe(0, output);
        output.ShouldBeEmpty();
    }

    [Fact]
    public void Metrics_HaveHelpAndTypeForEveryWatchdogFamily_CountersEndingTotal()
    {
        var types = TypeLine().Matches(daemon.Metrics).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value, StringComparer.Ordinal);

        types.Where(t => t.Key.StartsWith("watchdog_", StringComparison.Ordinal) && t.Value == "counter" && !t.Key.EndsWith("_total", StringComparison.Ordinal))
            .ShouldBeEmpty("counters not ending in _total");
        types.GetValueOrDefault("watchdog_action_duration_seconds").ShouldBe("histogram");
        types.GetValueOrDefault("watchdog_open_incidents").ShouldBe("gauge");
        foreach (var family in types.Keys.Where(k => k.StartsWith("watchdog_", StringComparison.Ordinal)))
        {
            daemon.Metrics.ShouldContain($"# HELP {family} ");
        }

        // Buckets in seconds for the range measured, not the exporter's millisecond-shaped default (0 ... 10000).
        daemon.Metrics.ShouldContain("watchdog_action_duration_seconds_bucket{otel_scope_name=\"Watchdog\",action=\"rollback\",le=\"1800\"}");
        daemon.Metrics.ShouldNotContain("le=\"7500\"");
    }

    /// <summary>
    /// The exporter is a beta: its HELP and TYPE lines for Watchdog's families are pinned here, so that a new version
    /// that renames, retypes or re-describes a family fails this test rather than the dashboards and rules.
    /// </summary>
    [Fact]
    public void WatchdogFamilies_HaveTheGoldenHelpAndTypeLines()
    {
        var golden = RepositoryPaths.Of("tests", "fixtures", "telemetry", "watchdog-families.txt");
        var actual = string.Join('\n', daemon.Metrics.Split('\n')
            .Where(line => line.StartsWith("# HELP watchdog_", StringComparison.Ordinal) || line.StartsWith("# TYPE watchdog_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)) + "\n";

        actual.ShouldBe(File.ReadAllText(golden), $"{golden} differs; if the change is meant, this is the new file:\n{actual}");
    }

    /// <summary>Absent, not a stale last value: the exporter drops an observable series its callback no longer reports.</summary>
    [Fact]
    public async Task SignalValue_LeavesMetrics_OnceTheSignalHasNoData()
    {
        const string Held = "watchdog_signal_value{otel_scope_name=\"Watchdog\",signal=\"error_rate\",target=\"held\"}";
        daemon.Metrics.ShouldContain(Held);

        daemon.Source.Answer("target=\"held\"", Faults.Fakes.PrometheusAnswer.EmptyVector);

        await daemon.Api.UntilAsync(async () => !(await daemon.Api.GetAsync("metrics")).Body.Contains(Held, StringComparison.Ordinal), "held's signal value gone from /metrics");
        (await daemon.Api.GetAsync("metrics")).Body.ShouldContain("watchdog_signal_value{otel_scope_name=\"Watchdog\",signal=\"error_rate\",target=\"auto\"}");
    }

    [Fact]
    public async Task Metrics_AreOpenMetrics_WhenTheScraperAsks()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(daemon.Daemon.Url, "metrics"));
        request.Headers.Accept.ParseAdd("application/openmetrics-text; version=1.0.0");
        using var response = await http.SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/openmetrics-text");
        (await response.Content.ReadAsStringAsync()).TrimEnd().ShouldEndWith("# EOF");
    }

    [Fact]
    public async Task RealPrometheus_ScrapesTheDaemon_UpIsOne_AndHasItsSeries()
    {
        var up = await daemon.Prometheus.QueryAsync("up");
        var evaluations = await daemon.Prometheus.QueryAsync("sum by (target) (watchdog_evaluations_total)");

        var result = up.GetProperty("data").GetProperty("result");
        result.GetArrayLength().ShouldBe(1);
        result[0].GetProperty("value")[1].GetString().ShouldBe("1");
        Targets(evaluations).ShouldBe(["auto", "broken", "held"], ignoreOrder: true);
    }

    [Fact]
    public async Task EveryQueryOfTheDashboardAndRules_RunsWithoutError_OnTheRealPrometheus()
    {
        var errors = new List<string>();
        foreach (var (where, expr) in Queries())
        {
            var answer = await daemon.Prometheus.QueryAsync(WithGrafanaVariables(expr));
            if (answer.GetProperty("status").GetString() != "success")
            {
                errors.Add($"{where}: {expr}: {answer.GetProperty("error").GetString()}");
            }
        }

        Queries().Count.ShouldBeGreaterThan(25);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public void EveryMetricTheDashboardAndRulesName_IsInTheDaemonsMetrics()
    {
        var exported = MetricsText.SampleNames(daemon.Metrics);
        List<(string Where, string Name)> named =
        [
            .. Queries().SelectMany(q => MetricName().Matches(q.Expr).Select(m => (q.Where, m.Value))),
            ("dashboard variable target", TargetVariableMetric()),
        ];

        named.Where(n => !exported.Contains(n.Name) && !SetOnlyByFlagActions.Contains(n.Name)).Select(n => $"{n.Where}: {n.Name}")
            .Distinct().ShouldBeEmpty("names the daemon's /metrics does not hold");
        named.Select(n => n.Name).ShouldContain("watchdog_time_to_rollback_seconds_bucket");
    }

    private static List<(string Where, string Expr)> Queries()
    {
        var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("config", "grafana", "watchdog-dashboard.json"))).RootElement;
        var queries = dashboard.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => ($"panel '{p.GetProperty("title").GetString()}'", t.GetProperty("expr").GetString()!)))
            .ToList();
        var rules = File.ReadAllText(RepositoryPaths.Of("config", "prometheus", "watchdog-rules.yaml"));
        queries.AddRange(RuleExpr().Matches(rules).Select(m => ("rules", m.Groups["expr"].Value.Trim())));
        return queries;
    }

    private static string TargetVariableMetric()
    {
        var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("config", "grafana", "watchdog-dashboard.json"))).RootElement;
        var target = dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "target");
        return MetricName().Match(target.GetProperty("definition").GetString()!).Value;
    }

    private static string WithGrafanaVariables(string expr) =>
        GrafanaVariables.Aggregate(expr, (text, variable) => text.Replace(variable.Variable, variable.Value, StringComparison.Ordinal));

    private static List<string> Targets(JsonElement answer) =>
        [.. answer.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => r.GetProperty("metric").GetProperty("target").GetString()!)];

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^\s*expr: (?<expr>.+)$", RegexOptions.Multiline)]
    private static partial Regex RuleExpr();

    // The metric names the queries use: Watchdog's, the runtime's, ASP.NET Core's and Kestrel's (up is Prometheus's own).
    [GeneratedRegex(@"\b(watchdog|dotnet|http|kestrel)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
