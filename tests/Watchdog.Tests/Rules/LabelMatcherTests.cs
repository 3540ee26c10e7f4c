using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals.Alerts;
using Watchdog.Tests.Configuration;

namespace Watchdog.Tests.Rules;

public sealed class LabelMatcherTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);

    [Theory]
    [InlineData("checkout", "checkout", true)]
    [InlineData("=checkout", "checkout", true)]
    [InlineData("checkout", "checkout-v2", false)]
    [InlineData("!=staging", "production", true)]
    [InlineData("!=staging", "staging", false)]
    [InlineData("=~checkout|cart", "cart", true)]
    [InlineData("=~checkout|cart", "checkout-v2", false)] // anchored at both ends, as in Alertmanager
    [InlineData("=~checkout.*", "checkout-v2", true)]
    [InlineData("!~canary-.*", "canary-7", false)]
    [InlineData("!~canary-.*", "stable", true)]
    [InlineData("=a=b", "a=b", true)] // only the first operator counts
    public void Matches_ByAlertmanagersOperators(string matcher, string value, bool expected)
    {
        var (parsed, error) = LabelMatcher.Parse("service", matcher);

        error.ShouldBeNull();
        parsed!.Matches(Labels(("service", value))).ShouldBe(expected);
    }

    [Fact]
    public void AMissingLabel_CountsAsEmpty()
    {
        LabelMatcher.Parse("env", "!=staging").Matcher!.Matches(Labels()).ShouldBeTrue();
        LabelMatcher.Parse("env", "production").Matcher!.Matches(Labels()).ShouldBeFalse();
        LabelMatcher.Parse("env", "=~.*").Matcher!.Matches(Labels()).ShouldBeTrue();
    }

    [Fact]
    public void Matcher_TiesAnAlertToEveryTargetWhoseMatchersAllHold()
    {
        var matcher = new AlertTargetMatcher(
        [
            new TargetOptions { Name = "checkout", AlertMatchers = new Dictionary<string, string> { ["service"] = "=~checkout|cart", ["env"] = "!=staging" } },
            new TargetOptions { Name = "cart", AlertMatchers = new Dictionary<string, string> { ["service"] = "cart" } },
            new TargetOptions { Name = "silent" },
        ]);

        matcher.Match(Labels(("service", "cart"), ("env", "production"))).ShouldBe(["checkout", "cart"]);
        matcher.Match(Labels(("service", "cart"), ("env", "staging"))).ShouldBe(["cart"]);
        matcher.Match(Labels(("service", "checkout"))).ShouldBe(["checkout"]);
        matcher.Match(Labels(("service", "search"))).ShouldBeEmpty();
    }

    [Fact]
    public void Load_AnInvalidRegex_AndMatchersThatTakeEveryAlert_AreErrorsAtTheirPaths()
    {
        var result = _scenario.Load("""
            policies: [policies/matrix.yaml]
            targets:
              - name: checkout
                policy: runbook-matrix
                alerts: {match: {service: "=~checkout(", env: "!=staging"}}
              - name: everything
                policy: runbook-matrix
                alerts: {match: {env: "!=staging", team: "=~.*"}}
              - name: cart
                policy: runbook-matrix
                alerts: {match: {service: "=~cart|basket", env: "!=staging"}}
            """);

        result.Errors.Select(e => e.ToString()).Where(e => e.Contains("alerts.match", StringComparison.Ordinal)).ShouldBe(
        [
            _scenario.At(5, "targets[0].alerts.match.service: 'checkout(' is not a regular expression: Invalid pattern '^(?:checkout()$' at offset 15. Not enough )'s."),
            _scenario.At(8, "targets[1].alerts.match: these matchers also hold for an alert with no labels, so every alert would belong to this target; add one that needs a label (label: value or label: \"=~regex\")"),
        ]);
    }
}
