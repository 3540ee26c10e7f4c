using Watchdog.Rules;

namespace Watchdog.Tests.Hosting;

/// <summary>Small compiled policies for the hosting tests, built in code so no policy parser is needed.</summary>
internal static class TestPolicies
{
    public const string ErrorRate = "error-rate";

    /// <summary><c>error_rate &gt; 0.10</c>, held for <paramref name="holdFor"/> → rollback, automatic (rule <c>error-rate-high</c>).</summary>
    public static CompiledPolicy ErrorRateRollback(TimeSpan holdFor = default) =>
        PolicyCompiler.Compile(new PolicyDefinition(
            ErrorRate,
            null,
            new Dictionary<string, ConditionDefinition>(),
            [
                new MatrixRow(
                    new ComparisonCondition("error_rate", ComparisonOperator.GreaterThan, 0.10) { For = holdFor },
                    new Outcome("error-rate-high", DecisionAction.Rollback, Authority.Automatic, "critical", TimeSpan.Zero)),
            ],
            null));

    public static Dictionary<string, CompiledPolicy> ErrorRateOnly(TimeSpan holdFor = default) =>
        new(StringComparer.Ordinal) { [ErrorRate] = ErrorRateRollback(holdFor) };
}
