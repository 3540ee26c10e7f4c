using System.Text.RegularExpressions;

namespace Watchdog.Tests.Telemetry;

/// <summary>The shipped alerting rules for Watchdog itself, through the real promtool.</summary>
public sealed partial class WatchdogRulesTests
{
    private static readonly string Rules = RepositoryPaths.Of("config", "prometheus", "watchdog-rules.yaml");
    private static readonly string RuleTests = RepositoryPaths.Of("config", "prometheus", "watchdog-rules.test.yaml");

    [Fact]
    public async Task CheckRules_AcceptsTheShippedRules()
    {
        var (code, output) = await Promtool.RunAsync(["check", "rules", Rules]);

        code.ShouldBe(0, output);
        output.ShouldContain($"SUCCESS: {AlertNames(File.ReadAllText(Rules)).Count} rules found");
    }

    [Fact]
    public async Task TestRules_PassOnTheShippedRules()
    {
        var (code, output) = await Promtool.RunAsync(["test", "rules", RuleTests]);

        code.ShouldBe(0, output);
        output.ShouldContain("SUCCESS");
    }

    [Fact]
    public void EveryAlert_HasATestThatExpectsItToFire()
    {
        var tests = File.ReadAllText(RuleTests);
        var firing = ExpectedFiring().Matches(tests).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        AlertNames(File.ReadAllText(Rules)).Where(name => !firing.Contains(name))
            .ShouldBeEmpty("alerts with no promtool test case that expects them to fire");
    }

    private static List<string> AlertNames(string rules) => [.. AlertName().Matches(rules).Select(m => m.Groups["name"].Value)];

    [GeneratedRegex(@"^\s*- alert: (?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex AlertName();

    // An eval block naming the alert and followed by a non-empty exp_alerts list (exp_labels under it).
    [GeneratedRegex(@"alertname: (?<name>\w+)\s*\n\s*exp_alerts:\s*\n\s*- exp_labels", RegexOptions.Multiline)]
    private static partial Regex ExpectedFiring();
}
