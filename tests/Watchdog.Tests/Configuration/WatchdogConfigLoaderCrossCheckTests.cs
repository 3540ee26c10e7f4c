using Watchdog.Configuration;
using Watchdog.Hosting;

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
            [_scenario.At(13, "targets[0].policy: policy 'runbook-matrix' reads signal 'customer_reports', which is not in signals: no source watches it, so its rules are not applicable")]);
    }

    [Fact]
    public void Load_PolicySignalCloseToOneInTheCatalogue_IsAnErrorOnTheTargetsPolicy_WhenTheParserGaveNoPlace()
    {
        _scenario.Policies.Add("matrix.yaml", "runbook-matrix", "error_rate", "errors_rate");

        var result = _scenario.Load(ConfigSamples.Minimal);

        result.Options.ShouldBeNull();
        result.Errors.Select(e => e.ToString()).ShouldBe(
            [_scenario.At(13, "targets[0].policy: policy 'runbook-matrix' reads unknown signal 'errors_rate' (did you mean 'error_rate'?)")]);
    }

    [Fact]
    public void Load_PolicyConditionWithAMisspeltSignal_IsAnErrorAtTheConditionWithDidYouMean()
    {
        var policy = _scenario.Write("policies/misspelt.yaml", """
            name: misspelt
            conditions:
              slow: {signal: p59_latency_seconds, op: ">", threshold: 2}
            matrix:
              - {id: errors, when: "eror_rate > 0.1", action: rollback, authority: automatic}
              - {id: reports, when: {expr: "customer_report > 10"}, action: investigate, authority: on-call}
              - {id: slow, when: slow, action: investigate, authority: on-call}
              - {id: other, when: {any: ["error_rate > 0.5", "queue_depth > 100", "alert:CheckoutDown > 0"]}, action: rollback, authority: on-call}
            """);
        var config = _scenario.Write("watchdog.yaml", """
            sources:
              prometheus: {url: http://127.0.0.1:9090}
            signals:
              error_rate: {source: prometheus, query: errors}
              p95_latency_seconds: {source: prometheus, query: latency}
              customer_reports: {source: prometheus, query: reports}
            policies: [policies/misspelt.yaml]
            targets:
              - {name: a, policy: misspelt}
              - {name: b, policy: misspelt}
            """);

        var result = WatchdogConfigLoader.Load(config, WatchdogPlugins.Registry(), new Dictionary<string, string?>());

        result.Options.ShouldBeNull();
        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            $"{policy}:3 conditions.slow.signal: unknown signal 'p59_latency_seconds' (did you mean 'p95_latency_seconds'?)",
            $"{policy}:5 matrix[0].when: unknown signal 'eror_rate' (did you mean 'error_rate'?)",
            $"{policy}:6 matrix[1].when.expr: unknown signal 'customer_report' (did you mean 'customer_reports'?)",
        ],
        ignoreOrder: true,
        "one error per misspelling, though two targets use the policy; alert: signals need no entry");
        result.Warnings.Select(w => w.ToString()).ShouldBe(
            [
                $"{config}:9 targets[0].policy: policy 'misspelt' reads signal 'queue_depth', which is not in signals: no source watches it, so its rules are not applicable",
                $"{config}:10 targets[1].policy: policy 'misspelt' reads signal 'queue_depth', which is not in signals: no source watches it, so its rules are not applicable",
            ],
            "a name like none in the catalogue may come from a signal source added to the host: still a warning");
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

    [Fact]
    public void Load_HealthTimeoutNotShorterThanTheCyclesDeadline_WarnsThatAHangWouldBeUnknown()
    {
        _scenario.Policies.Add("matrix.yaml", "runbook-matrix", "health_check_failure_ratio");

        var result = _scenario.Load("""
            signals:
              health_check_failure_ratio: {source: health}
            policies:
              - policies/matrix.yaml
            targets:
              - name: checkout
                policy: runbook-matrix
                interval: 5s
                health:
                  - {url: "http://127.0.0.1:9/healthz", timeout: 2s}
                  - {url: "http://127.0.0.1:9/ready", timeout: 5s}
            """);

        result.Errors.ShouldBeEmpty();
        result.Warnings.Select(w => w.ToString()).ShouldBe(
            [_scenario.At(11, "targets[0].health[1].timeout: timeout 5s is not shorter than the cycle's deadline 5s (the target's interval, at most sources.deadline): an endpoint that hangs is cut off by the cycle and counts as unknown, not as failed; make the timeout shorter")]);
    }
}
