using System.Diagnostics.Metrics;
using System.Globalization;
using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Telemetry;

/// <summary>
/// The thresholds each target's policy compares its signals with (<c>error_rate &gt; 0.1</c>), for
/// <c>watchdog_signal_threshold</c>: the dashboard draws them against the values. Fixed at start, as the policies are.
/// </summary>
internal static class SignalThresholds
{
    /// <returns>One measurement per target and distinct comparison, labelled with its target, signal and condition text.</returns>
    public static Measurement<double>[] Of(WatchdogOptions options, IReadOnlyDictionary<string, CompiledPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policies);
        var measurements = new List<Measurement<double>>();
        foreach (var target in options.Targets)
        {
            if (!policies.TryGetValue(target.Policy, out var policy))
            {
                continue;
            }

            foreach (var comparison in Comparisons(policy.Definition).DistinctBy(c => (c.Signal, c.Operator, c.Threshold)))
            {
                var condition = $"{comparison.Signal} {comparison.Operator.Symbol()} {comparison.Threshold.ToString(CultureInfo.InvariantCulture)}";
                measurements.Add(new Measurement<double>(
                    comparison.Threshold,
                    new("target", target.Name),
                    new("signal", comparison.Signal),
                    new("condition", condition)));
            }
        }

        return [.. measurements];
    }

    private static IEnumerable<ComparisonCondition> Comparisons(PolicyDefinition policy) =>
        policy.Conditions.Values.Concat(policy.Matrix.Select(row => row.When)).Concat(Branches(policy.Tree)).SelectMany(Flatten);

    private static IEnumerable<ConditionDefinition> Branches(DecisionTreeNode? node) => node switch
    {
        DecisionTreeBranch branch => [branch.If, .. Branches(branch.Then), .. Branches(branch.Else)],
        _ => [],
    };

    // Named conditions are walked where they are defined, so a reference adds nothing here.
    private static IEnumerable<ComparisonCondition> Flatten(ConditionDefinition condition) => condition switch
    {
        ComparisonCondition comparison => [comparison],
        AnyCondition any => any.Parts.SelectMany(Flatten),
        AllCondition all => all.Parts.SelectMany(Flatten),
        NotCondition not => Flatten(not.Part),
        _ => [],
    };
}
