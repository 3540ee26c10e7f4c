using Watchdog.Hosting;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Hosting;

/// <summary>The CLI verbs with the real configuration loader and policy test runner, on the shipped files.</summary>
public sealed class WatchdogCliEndToEndTests : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }

    private Task<int> Invoke(params string[] args) => new WatchdogCli().InvokeAsync(args, _output, _error);

    [Fact]
    public async Task Validate_ShippedConfig_IsOk()
    {
        var exit = await Invoke("validate", "--config", RepositoryPaths.Of("config", "watchdog.yaml"));

        exit.ShouldBe(0, _output.ToString() + _error);
        _output.ToString().ShouldContain("ok (4 targets, 3 policies)");
    }

    [Fact]
    public async Task Validate_ShippedRunbookMatrixWithOnlyErrorRate_ListsTheRowsNotApplicableForTheTarget()
    {
        using var dir = new TempDirectory();
        var config = dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "http://127.0.0.1:9090"}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{deployment="{{deployment}}"}'}
            policies: ["{{{RepositoryPaths.Of("config", "policies", "runbook-matrix.yaml")}}}"]
            targets:
              - {name: payments, policy: runbook-matrix, variables: {deployment: payments}, plans: {rollback: [{action: notify-only}]}}
            """);

        var exit = await Invoke("validate", "--config", config);

        exit.ShouldBe(0, _output.ToString() + _error);
        _output.ToString().ShouldContain(
            "targets[0] payments: not applicable (signals it does not watch): latency-p95-high, cpu-saturated, memory-exhausted, health-checks-failing, customer-reports");
    }

    [Fact]
    public async Task Validate_ConfigWithThreeMistakes_PrintsAllThreeWithPathsAndExitsNonZero()
    {
        using var dir = new TempDirectory();
        var shipped = await File.ReadAllTextAsync(RepositoryPaths.Of("config", "watchdog.yaml"));
        var first = shipped.IndexOf("policy: runbook-matrix", StringComparison.Ordinal); // the first target's only
        var broken = (shipped[..first] + "policy: runbok-matrix" + shipped[(first + "policy: runbook-matrix".Length)..])
            .Replace("  interval: 15s", "  interval: fast", StringComparison.Ordinal)
            .Replace("url: http://127.0.0.1:9090", "url: not-a-url", StringComparison.Ordinal)
            .Replace("- policies/", "- " + RepositoryPaths.Of("config", "policies") + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var config = dir.Write("watchdog.yaml", broken);

        var exit = await Invoke("validate", "--config", config);

        exit.ShouldNotBe(0);
        var text = _output.ToString();
        text.ShouldContain($"{config}:25 sources.prometheus.url: 'not-a-url' is not an absolute http:// or https:// URL");
        text.ShouldContain(" defaults.interval: 'fast' is not a duration");
        text.ShouldContain(" targets[0].policy: unknown policy 'runbok-matrix' (did you mean 'runbook-matrix'?)");
        text.ShouldContain("3 errors");
    }

    [Fact]
    public async Task TestRules_ShippedPolicyTests_Pass()
    {
        var exit = await Invoke("test-rules", RepositoryPaths.Of("tests", "policies", "runbook-matrix.test.yaml"), RepositoryPaths.Of("tests", "policies", "runbook-tree.test.yaml"), RepositoryPaths.Of("tests", "policies", "flag-guard.test.yaml"));

        exit.ShouldBe(0, _output.ToString());
        _output.ToString().ShouldMatch(@"(?m)^[1-9]\d* passed, 0 failed\s*$");
    }

    [Fact]
    public async Task TestRules_WrongExpectation_FailsWithAClearMessage()
    {
        using var dir = new TempDirectory();
        var test = dir.Write("wrong.test.yaml", $$"""
            policy: {{RepositoryPaths.Of("config", "policies", "runbook-tree.yaml")}}
            interval: 15s
            tests:
              - name: health failing should (wrongly) only be monitored
                signals:
                  health_check_failure_ratio: "0.5x5"
                  error_rate: "0.01x5"
                  p95_latency_seconds: "0.3x5"
                  data_integrity_errors: "0x5"
                expect:
                  - {at: 30s, action: monitor}
            """);

        var exit = await Invoke("test-rules", test);

        exit.ShouldBe(1);
        var text = _output.ToString();
        text.ShouldContain("health failing should (wrongly) only be monitored");
        text.ShouldContain("at 30s (line 11): expected monitor, got rollback, authority automatic, rule quick-rollback");
        text.ShouldContain("why: rollback (automatic) by tree leaf quick-rollback via not_operational is true, health_failing is true");
        text.ShouldContain("0 passed, 1 failed");
    }
}
