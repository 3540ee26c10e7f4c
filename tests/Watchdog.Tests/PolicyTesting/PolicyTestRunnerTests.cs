using Watchdog.PolicyTesting;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.PolicyTesting;

public sealed class PolicyTestRunnerTests
{
    private static readonly string MatrixPolicy = RepositoryPaths.Of("config", "policies", "runbook-matrix.yaml").Replace("\\", "/", StringComparison.Ordinal);

    [Fact]
    public void Run_WrongExpectation_FailsWithTestNameTimeExpectedGotAndExplanation()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("wrong.test.yaml", $$"""
            policy: {{MatrixPolicy}}
            interval: 15s
            tests:
              - name: a deliberately wrong expectation
                signals:
                  error_rate: "0.12x5"
                expect:
                  - {at: 30s, action: rollback, authority: on-call}
            """);
        var output = new StringWriter();

        var exit = PolicyTestRunner.Run([file], output);

        exit.ShouldBe(1);
        var text = output.ToString();
        text.ShouldContain("FAIL");
        text.ShouldContain("a deliberately wrong expectation");
        text.ShouldContain("at 30s");
        text.ShouldContain("expected rollback, authority on-call");
        text.ShouldContain("got rollback, authority automatic, rule error-rate-critical");
        text.ShouldContain("why: rollback (automatic) by matrix row error-rate-critical: error_rate > 0.1 [0.12: true] for 30s [held 30s]");
        text.TrimEnd().ShouldEndWith("0 passed, 1 failed");
    }

    [Fact]
    public void Run_PassingAndFailingTests_CountsEachTestOnce()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("mixed.test.yaml", $$"""
            policy: {{MatrixPolicy}}
            interval: 15s
            tests:
              - name: passes
                signals: {}
                expect: [{at: 0s, action: none, inconclusive: true}]
              - name: fails twice but counts once
                signals: {}
                expect: [{at: 0s, action: rollback}, {at: 15s, action: scale}]
            """);
        var output = new StringWriter();

        var exit = PolicyTestRunner.Run([file], output);

        exit.ShouldBe(1);
        output.ToString().TrimEnd().ShouldEndWith("1 passed, 1 failed");
        output.ToString().ShouldContain("at 15s");
    }

    [Fact]
    public void Run_InconclusiveExpectedButConclusiveGot_Fails()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("t.test.yaml", $$"""
            policy: {{MatrixPolicy}}
            interval: 15s
            tests:
              - name: healthy is not inconclusive
                signals: {error_rate: "0", p95_latency_seconds: "0", cpu_utilization: "0", memory_utilization: "0", health_check_failure_ratio: "0", customer_reports: "0"}
                expect: [{at: 0s, action: none, inconclusive: true}]
            """);
        var output = new StringWriter();

        PolicyTestRunner.Run([file], output).ShouldBe(1);

        output.ToString().ShouldContain("expected none, inconclusive, got none");
    }

    [Fact]
    public void Run_SignalThePolicyDoesNotRead_FailsWithSuggestion()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("t.test.yaml", $$"""
            policy: {{MatrixPolicy}}
            interval: 15s
            tests:
              - name: typo in a signal name
                signals: {eror_rate: "0.5x5"}
                expect: [{at: 0s, action: none}]
            """);
        var output = new StringWriter();

        PolicyTestRunner.Run([file], output).ShouldBe(1);

        output.ToString().ShouldContain("signal 'eror_rate' is not read by policy 'runbook-matrix' (did you mean 'error_rate'?)");
    }

    [Fact]
    public void Run_InvalidTestFile_ReportsEveryErrorWithLineAndCountsAFailure()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("bad.test.yaml", """
            policy: missing-policy.yaml
            interval: soon
            tests:
              - name: bad series
                signals: {error_rate: "0.1 abc"}
                expect: [{at: 0s, action: explode}]
            """);
        var output = new StringWriter();

        PolicyTestRunner.Run([file], output).ShouldBe(1);

        var text = output.ToString();
        text.ShouldContain($"{file}:2 interval:");
        text.ShouldContain($"{file}:5 tests[0].signals.error_rate: 'abc'");
        text.ShouldContain("tests[0].expect[0].action: required: one of none");
        text.TrimEnd().ShouldEndWith("0 passed, 1 failed");
    }

    [Fact]
    public void Run_TestFileNamingAMissingPolicy_ReportsTheUnreadablePolicy()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("t.test.yaml", """
            policy: nowhere.yaml
            interval: 15s
            tests:
              - name: x
                expect: [{at: 0s, action: none}]
            """);
        var output = new StringWriter();

        PolicyTestRunner.Run([file], output).ShouldBe(1);

        output.ToString().ShouldContain("cannot read policy file");
    }

    [Fact]
    public void Run_ActionsAt_ExercisesCooldown()
    {
        using var dir = new TempDirectory();
        dir.Write("p.yaml", """
            name: cooled
            matrix:
              - {id: hot, when: error_rate > 0.1, action: rollback, authority: automatic, cooldown: 1m}
            """);
        var file = dir.Write("t.test.yaml", """
            policy: p.yaml
            interval: 15s
            tests:
              - name: a rollback at 15s holds the rule back for a minute
                signals: {error_rate: "0.5x8"}
                actions_at: [15s]
                expect:
                  - {at: 0s, action: rollback}
                  - {at: 15s, action: none}
                  - {at: 60s, action: none}
                  - {at: 75s, action: rollback}
            """);
        var output = new StringWriter();

        PolicyTestRunner.Run([file], output).ShouldBe(0, output.ToString());
    }
}
