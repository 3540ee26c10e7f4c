using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Configuration;

public sealed class PolicyFileParserTests
{
    private static IReadOnlyList<string> ErrorsOf(string yaml)
    {
        var result = PolicyFileParser.Parse(yaml, "p.yaml");
        result.Policy.ShouldBeNull();
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Fact]
    public void Parse_ShippedMatrix_HasTheRunbookRowsInOrderEachFor30s()
    {
        var policy = PolicyFileParser.ParseFile(RepositoryPaths.Of("config", "policies", "runbook-matrix.yaml")).Policy!;

        policy.Name.ShouldBe("runbook-matrix");
        policy.Definition.Matrix.Select(r => $"{r.When} {r.Outcome.Action.ToName()} {r.Outcome.Authority.ToName()}").ShouldBe(
        [
            Row("error_rate", 0.10, "rollback automatic"),
            Row("error_rate", 0.05, "rollback on-call"),
            Row("p95_latency_seconds", 2, "investigate on-call"),
            Row("cpu_utilization", 0.90, "scale-then-rollback on-call"),
            Row("memory_utilization", 0.95, "rollback on-call"),
            Row("health_check_failure_ratio", 0.20, "rollback on-call"),
            Row("customer_reports", 10, "investigate on-call"),
        ]);

        static string Row(string signal, double threshold, string outcome) =>
            $"{new ComparisonCondition(signal, ComparisonOperator.GreaterThan, threshold) { For = TimeSpan.FromSeconds(30) }} {outcome}";
    }

    [Fact]
    public void Parse_ShippedTree_HasEveryLeafOfTheRunbook()
    {
        var policy = PolicyFileParser.ParseFile(RepositoryPaths.Of("config", "policies", "runbook-tree.yaml")).Policy!;

        policy.RuleIds.ShouldBe(["quick-rollback", "investigate-api-errors", "scale-or-rollback", "monitor-closely", "stop-writes", "continue-monitoring"]);
        policy.Signals.ShouldBe(["health_check_failure_ratio", "error_rate", "p95_latency_seconds", "data_integrity_errors"], ignoreOrder: true);
        policy.Definition.Conditions.Values.ShouldAllBe(c => c.For == TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Parse_ThreeDifferentMistakes_ReportsAllThreeWithPathsAndLines()
    {
        var errors = ErrorsOf("""
            name: broken
            matrix:
              - id: a
                when: error_rate >> 0.1
                action: rollback
                authority: automatic
              - id: b
                when: error_rate > 0.05
                for: thirty seconds
                action: rollback
                authority: oncall
            """);

        errors.ShouldBe(
        [
            "p.yaml:4 matrix[0].when: cannot read 'error_rate >> 0.1': expected '<signal> <op> <number>' with op one of > >= < <= == !=, or the name of a condition",
            "p.yaml:9 matrix[1].for: 'thirty seconds' is not a duration: write it like 30s, 5m, 1h30m or 250ms",
            "p.yaml:11 matrix[1].authority: unknown authority 'oncall': use one of automatic, on-call, team-lead, cto (did you mean 'on-call'?)",
        ]);
    }

    [Fact]
    public void Parse_UnknownKey_SuggestsTheNearestKnownKey()
    {
        ErrorsOf("""
            name: typo
            matrix:
              - id: a
                when: x > 1
                acton: rollback
                authority: automatic
            """).ShouldContain("p.yaml:5 matrix[0].acton: unknown key (did you mean 'action'?)");
    }

    [Fact]
    public void Parse_UnknownConditionName_SuggestsTheNearestCondition()
    {
        ErrorsOf("""
            name: refs
            conditions:
              health_failing: "h > 0.2"
            tree:
              if: helth_failing
              then: {id: a, action: rollback, authority: automatic}
              else: {id: b, action: none}
            """).ShouldBe(["p.yaml:5 tree.if: unknown condition 'helth_failing' (did you mean 'health_failing'?)"]);
    }

    [Fact]
    public void Parse_ConditionsInACycle_AreReported()
    {
        ErrorsOf("""
            name: loop
            conditions:
              a: {all: [b, "x > 1"]}
              b: {not: a}
            matrix:
              - {id: r, when: a, action: monitor, authority: automatic}
            """).ShouldContain(e => e.Contains("cycle: a -> b -> a", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DuplicateIdsMissingAuthorityAndUnknownAction_AreAllReported()
    {
        var errors = ErrorsOf("""
            name: dup
            matrix:
              - {id: same, when: "x > 1", action: rollback}
              - {id: same, when: "x > 2", action: none}
              - {id: other, when: "x > 3", action: reboot, authority: cto}
            """);

        errors.ShouldBe(
        [
            "p.yaml:3 matrix[0].authority: required for action 'rollback': one of automatic, on-call, team-lead, cto",
            "p.yaml:4 matrix[1].id: duplicate id 'same': ids of rows and leaves must be unique",
            "p.yaml:5 matrix[2].action: unknown action 'reboot': use one of none, monitor, investigate, scale, scale-then-rollback, rollback, stop-writes",
        ]);
    }

    [Fact]
    public void Parse_BranchWithoutElse_IsReported()
    {
        ErrorsOf("""
            name: half
            tree:
              if: "x > 1"
              then: {id: a, action: rollback, authority: automatic}
            """).ShouldBe(["p.yaml:3 tree.else: required: every branch needs both 'then' and 'else'"]);
    }

    [Fact]
    public void Parse_NeitherMatrixNorTree_IsReported()
    {
        ErrorsOf("name: empty\n").ShouldBe(["p.yaml:1: a policy needs a 'matrix', a 'tree', or both"]);
    }

    [Fact]
    public void Parse_ConditionMappingWithTwoKinds_IsReported()
    {
        ErrorsOf("""
            name: two
            matrix:
              - {id: a, when: {any: ["x > 1"], all: ["y > 1"]}, action: monitor, authority: automatic}
            """).ShouldBe(["p.yaml:3 matrix[0].when: a condition mapping needs exactly one of expr, signal, any, all, not, ref (found any, all)"]);
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsTheLine()
    {
        var errors = ErrorsOf("name: x\nmatrix:\n  - id: a\n    when: [unclosed\n");

        errors.Count.ShouldBe(1);
        errors[0].ShouldStartWith("p.yaml:");
        errors[0].ShouldContain("not valid YAML: ", Case.Sensitive);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[")]
    public void Parse_BracketLeftOpenBeforeALaterKey_IsANotValidYamlErrorWithItsLine(string bracket)
    {
        var errors = ErrorsOf($"name: x\nmatrix: {bracket}\nid: a\n");

        errors.ShouldHaveSingleItem().ShouldStartWith("p.yaml:3: not valid YAML: ", Case.Sensitive);
        errors[0].ShouldContain("not closed", Case.Sensitive);
    }

    [Fact]
    public void Parse_BadMissingDataPolicyAndBadName_AreReported()
    {
        var errors = ErrorsOf("""
            name: Bad Name
            matrix:
              - {id: a, when: {expr: "x > 1", on_no_data: panic}, action: monitor, authority: automatic}
            """);

        errors.ShouldBe(
        [
            "p.yaml:1 name: 'Bad Name' is not a valid name: use lower-case letters, digits, '.', '_' and '-'",
            "p.yaml:3 matrix[0].when.on_no_data: 'panic' is not one of inconclusive, breach, ok",
        ]);
    }

    [Fact]
    public void ParseFile_MissingFile_IsOneClearError()
    {
        var result = PolicyFileParser.ParseFile("/nonexistent/policy.yaml", "policies/policy.yaml");

        result.Errors.Single().ToString().ShouldStartWith("policies/policy.yaml: cannot read policy file:");
    }

    [Fact]
    public void Parse_ApprovalSection_SetsAutoApproveAfter_AndDefaultsToWaiting()
    {
        var withAuto = PolicyFileParser.Parse("name: a\napproval: {auto_approve_after: 20m}\nmatrix: [{id: r, when: 'x > 0', action: none}]\n", "p.yaml");
        var without = PolicyFileParser.Parse("name: a\nmatrix: [{id: r, when: 'x > 0', action: none}]\n", "p.yaml");

        withAuto.Policy!.Definition.Approval.AutoApproveAfter.ShouldBe(TimeSpan.FromMinutes(20));
        without.Policy!.Definition.Approval.AutoApproveAfter.ShouldBeNull();
        ErrorsOf("name: a\napproval: {auto_aprove_after: 20m}\nmatrix: [{id: r, when: 'x > 0', action: none}]\n")
            .ShouldBe(["p.yaml:2 approval.auto_aprove_after: unknown key (did you mean 'auto_approve_after'?)"]);
    }
}
