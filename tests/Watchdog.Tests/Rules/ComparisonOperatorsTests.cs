using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

public sealed class ComparisonOperatorsTests
{
    [Theory]
    [InlineData(">", 1.0, 0.5, true)]
    [InlineData(">", 0.5, 0.5, false)]
    [InlineData(">=", 0.5, 0.5, true)]
    [InlineData(">=", 0.4, 0.5, false)]
    [InlineData("<", 0.4, 0.5, true)]
    [InlineData("<", 0.5, 0.5, false)]
    [InlineData("<=", 0.5, 0.5, true)]
    [InlineData("<=", 0.6, 0.5, false)]
    [InlineData("==", 0.5, 0.5, true)]
    [InlineData("==", 0.6, 0.5, false)]
    [InlineData("!=", 0.6, 0.5, true)]
    [InlineData("!=", 0.5, 0.5, false)]
    public void Evaluate_EachOperator_ComparesValueWithThreshold(string op, double value, double threshold, bool holds)
    {
        var policy = Compile($$"""
            name: op
            matrix:
              - {id: r, when: "s {{op}} {{threshold}}", action: rollback, authority: automatic}
            """);

        var decision = policy.At(policy.CreateState(), 0, V("s", value));

        decision.Action.ShouldBe(holds ? DecisionAction.Rollback : DecisionAction.None);
        decision.IsInconclusive.ShouldBeFalse();
    }

    [Theory]
    [InlineData(double.PositiveInfinity, true)]
    [InlineData(double.NegativeInfinity, false)]
    public void Evaluate_Infinities_CompareAsNumbers(double value, bool holds)
    {
        var policy = Compile("""
            name: inf
            matrix:
              - {id: r, when: "s > 1e300", action: rollback, authority: automatic}
            """);

        policy.At(policy.CreateState(), 0, V("s", value)).Action.ShouldBe(holds ? DecisionAction.Rollback : DecisionAction.None);
    }

    [Fact]
    public void Symbol_RoundTripsThroughTryParse()
    {
        foreach (var op in Enum.GetValues<ComparisonOperator>())
        {
            ComparisonOperators.TryParse(op.Symbol(), out var parsed).ShouldBeTrue();
            parsed.ShouldBe(op);
        }

        ComparisonOperators.TryParse("=>", out _).ShouldBeFalse();
    }
}
