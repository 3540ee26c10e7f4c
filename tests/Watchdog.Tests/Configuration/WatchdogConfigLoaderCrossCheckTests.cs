using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

public sealed class WatchdogConfigLoaderCrossCheckTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_TwoPolicyFilesWithTheSameName_IsAnErrorOnTheSecond()
    {
        _scenario.Policies.Add("tree.yaml", "runbook-matrix", "error_rate");

        var result = _scenario.Load(ConfigSamples.Minimal);

        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(10, "policies[1]: duplicate policy name 'runbook-matrix' (also in policies[0])")]);
    }

    [Fact]
    public void Load_PolicyFileWithErrors_IncludesThemAsTheParserReportedThem()
    {
        var policyError = new ConfigError("somewhere/tree.yaml", 7, "matrix[0].when", "unknown operator '=>'");
        _scenario.Policies.AddBroken("tree.yaml", policyError);

        var result = _scenario.Load(ConfigSamples.Minimal);

        result.Options.ShouldBeNull();
        result.Errors.ShouldBe([policyError]);
        result.Policies.Keys.ShouldBe(["runbook-matrix"]);
        _scenario.Policies.Calls[1].ShownPath.ShouldBe(Path.Combine(_scenario.Folder, "policies", "tree.yaml"));
    }

    [Fact]
    public void Load_PolicyFileThatDoesNotExist_IsAnErrorAtItsEntry()
    {
        var result = _scenario.Load(ConfigSamples.Minimal.Replace("policies/tree.yaml", "policies/gone.yaml", StringComparison.Ordinal));

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [_scenario.At(10, $"policies[1]: policy file not found: {Path.Combine(_scenario.Folder, "policies", "gone.yaml")}")]);
    }

    [Fact]
    public void Load_QueryVariableTheTargetDoesNotDefine_IsAnErrorOnTheTargetsVariables()
    {
        var result = _scenario.Load(ConfigSamples.Minimal.Replace(
            "rate(errors{app=\"{{target}}\"}[1m])", "rate(errors{app=\"{{target}}\",ns=\"{{namespace}}\",d=\"{{deployment}}\"}[1m])", StringComparison.Ordinal)
            + "\n    variables: {namespace: production}");

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [_scenario.At(16, "targets[0].variables: missing variable 'deployment', used by the query of signal error_rate (read by policy 'runbook-matrix')")]);
    }

    [Fact]
    public void Load_QueryVariableUsedBySeveralSignals_IsOneErrorNamingThemAll()
    {
        _scenario.Policies.Add("matrix.yaml", "runbook-matrix", "error_rate", "p95_latency_seconds");

        var result = _scenario.Load("""
            sources:
              prometheus:
                url: http://127.0.0.1:9090
            signals:
              error_rate:
                source: prometheus
                query: 'errors{ns="{{namespace}}"}'
              p95_latency_seconds:
                source: prometheus
                query: 'latency{ns="{{ namespace }}"}'
            policies:
              - policies/matrix.yaml
            targets:
              - name: checkout
                policy: runbook-matrix
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [_scenario.At(14, "targets[0].variables: missing variable 'namespace', used by the query of signals error_rate, p95_latency_seconds (read by policy 'runbook-matrix')")]);
    }

    [Fact]
    public void Load_PolicySignalMissingFromTheCatalogue_WarnsButLoads()
    {
        _scenario.Policies.Add("matrix.yaml", "runbook-matrix", "error_rate", "customer_reports", "alert:HighLatency");

        var result = _scenario.Load(ConfigSamples.Minimal);

        result.Errors.ShouldBeEmpty();
        result.Options.ShouldNotBeNull();
        result.Warnings.Select(w => w.ToString()).ShouldBe(
            [_scenario.At(13, "targets[0].policy: policy 'runbook-matrix' reads signal 'customer_reports', which is not in signals: it will always be no data")]);
    }

    [Fact]
    public void Load_PrometheusSignalWithoutPrometheusSource_IsAnError()
    {
        var result = _scenario.Load(ConfigSamples.Minimal.Replace("""
            sources:
              prometheus:
                url: http://127.0.0.1:9090

            """, "", StringComparison.Ordinal));

        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(3, "signals.error_rate.source: source prometheus needs sources.prometheus (its url)")]);
    }

    [Fact]
    public void Load_HealthSignalOnATargetWithoutHealthEndpoints_Warns()
    {
        var result = _scenario.Load("""
            signals:
              error_rate:
                source: health
              health_check_failure_ratio:
                source: health
            policies:
              - policies/matrix.yaml
            targets:
              - name: checkout
                policy: runbook-matrix
            """);

        result.Errors.ShouldBeEmpty();
        result.Warnings.Select(w => w.ToString()).ShouldBe(
            [
                _scenario.At(9, "targets[0].health: policy 'runbook-matrix' reads health signal 'error_rate', but the target has no health endpoints: it will always be no data"),
                _scenario.At(9, "targets[0].health: policy 'runbook-matrix' reads health signal 'health_check_failure_ratio', but the target has no health endpoints: it will always be no data"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Load_HealthSignalWithAQuery_IsAnError()
    {
        var result = _scenario.Load(ConfigSamples.Minimal.Replace("source: prometheus", "source: health", StringComparison.Ordinal));

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [_scenario.At(7, "signals.error_rate.query: a health signal is computed from the target's health endpoints and takes no query")]);
    }
}
