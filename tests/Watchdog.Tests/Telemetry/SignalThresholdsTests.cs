using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Telemetry;

namespace Watchdog.Tests.Telemetry;

public sealed class SignalThresholdsTests
{
    [Fact]
    public void Of_EveryComparisonOfEachTargetsPolicy_OnceEach_NestedOnesToo()
    {
        var high = new ComparisonCondition("error_rate", ComparisonOperator.GreaterThan, 0.10);
        var policy = PolicyCompiler.Compile(new PolicyDefinition(
            "errors",
            null,
            new Dictionary<string, ConditionDefinition>(),
            [
                new MatrixRow(new AllCondition([high, new NotCondition(new ComparisonCondition("p99_latency", ComparisonOperator.LessThan, 0.5))]), Rollback("both")),
                new MatrixRow(high, Rollback("errors")),
            ],
            null));
        var options = new WatchdogOptions
        {
            Targets = [new TargetOptions { Name = "checkout", Policy = "errors" }, new TargetOptions { Name = "search", Policy = "errors" }],
        };

        var thresholds = SignalThresholds.Of(options, new Dictionary<string, CompiledPolicy> { ["errors"] = policy });

        thresholds.Select(m => (Label(m, "target"), Label(m, "signal"), Label(m, "condition"), m.Value)).ShouldBe(
        [
            ("checkout", "error_rate", "error_rate > 0.1", 0.10),
            ("checkout", "p99_latency", "p99_latency < 0.5", 0.5),
            ("search", "error_rate", "error_rate > 0.1", 0.10),
            ("search", "p99_latency", "p99_latency < 0.5", 0.5),
        ]);
    }

    private static Outcome Rollback(string id) => new(id, DecisionAction.Rollback, Authority.Automatic, "critical", TimeSpan.Zero);

    private static string? Label(System.Diagnostics.Metrics.Measurement<double> measurement, string key)
    {
        foreach (var tag in measurement.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
