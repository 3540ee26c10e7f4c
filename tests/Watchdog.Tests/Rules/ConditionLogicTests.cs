using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

public sealed class ConditionLogicTests
{
    // a > 0 is true for 1, false for 0, unknown for no data; same for b.
    private static (string, SignalValue) Of(string signal, Truth truth) => truth switch
    {
        Truth.True => V(signal, 1),
        Truth.False => V(signal, 0),
        _ => NoData(signal),
    };

    private static Truth Evaluate(string kind, Truth a, Truth b)
    {
        var policy = Compile($$"""
            name: logic
            matrix:
              - {id: holds, when: {{{kind}}: ["a > 0", "b > 0"]}, action: rollback, authority: automatic}
            """);
        var decision = policy.At(policy.CreateState(), 0, Of("a", a), Of("b", b));
        return decision.IsInconclusive ? Truth.Unknown : decision.Action == DecisionAction.Rollback ? Truth.True : Truth.False;
    }

    [Theory]
    [InlineData(Truth.True, Truth.False, Truth.True)]
    [InlineData(Truth.True, Truth.Unknown, Truth.True)]
    [InlineData(Truth.False, Truth.False, Truth.False)]
    [InlineData(Truth.False, Truth.Unknown, Truth.Unknown)]
    [InlineData(Truth.Unknown, Truth.Unknown, Truth.Unknown)]
    public void Any_FollowsThreeValuedLogic(object aValue, object bValue, object expectedValue)
    {
        var a = (Truth)aValue; // internal type: xunit passes it boxed
        var b = (Truth)bValue;
        var expected = (Truth)expectedValue;
        Evaluate("any", a, b).ShouldBe(expected);
        Evaluate("any", b, a).ShouldBe(expected);
    }

    [Theory]
    [InlineData(Truth.True, Truth.True, Truth.True)]
    [InlineData(Truth.True, Truth.Unknown, Truth.Unknown)]
    [InlineData(Truth.False, Truth.Unknown, Truth.False)]
    [InlineData(Truth.True, Truth.False, Truth.False)]
    [InlineData(Truth.Unknown, Truth.Unknown, Truth.Unknown)]
    public void All_FollowsThreeValuedLogic(object aValue, object bValue, object expectedValue)
    {
        var a = (Truth)aValue; // internal type: xunit passes it boxed
        var b = (Truth)bValue;
        var expected = (Truth)expectedValue;
        Evaluate("all", a, b).ShouldBe(expected);
        Evaluate("all", b, a).ShouldBe(expected);
    }

    [Theory]
    [InlineData(Truth.True, Truth.False)]
    [InlineData(Truth.False, Truth.True)]
    [InlineData(Truth.Unknown, Truth.Unknown)]
    public void Not_NegatesAndKeepsUnknown(object inputValue, object expectedValue)
    {
        var input = (Truth)inputValue; // internal type: xunit passes it boxed
        var expected = (Truth)expectedValue;
        var policy = Compile("""
            name: negation
            matrix:
              - {id: r, when: {not: "a > 0"}, action: rollback, authority: automatic}
            """);
        var decision = policy.At(policy.CreateState(), 0, Of("a", input));

        var got = decision.IsInconclusive ? Truth.Unknown : decision.Action == DecisionAction.Rollback ? Truth.True : Truth.False;
        got.ShouldBe(expected);
    }

    [Fact]
    public void Comparison_SourceError_IsUnknownNotTrue()
    {
        var policy = Compile("""
            name: err
            matrix:
              - {id: r, when: "a < 1", action: rollback, authority: automatic}
            """);

        var decision = policy.At(policy.CreateState(), 0, Failed("a"));

        decision.IsInconclusive.ShouldBeTrue();
        decision.Action.ShouldBe(DecisionAction.None);
    }

    [Fact]
    public void Comparison_NaN_IsNoData()
    {
        var policy = Compile("""
            name: nan
            matrix:
              - {id: r, when: "a != 1", action: rollback, authority: automatic}
            """);

        policy.At(policy.CreateState(), 0, V("a", double.NaN)).IsInconclusive.ShouldBeTrue();
    }

    [Theory]
    [InlineData("breach", DecisionAction.Rollback, false)]
    [InlineData("ok", DecisionAction.None, false)]
    [InlineData("inconclusive", DecisionAction.None, true)]
    public void OnNoData_DecidesWhatMissingDataMeans(string onNoData, object actionValue, bool inconclusive)
    {
        var action = (DecisionAction)actionValue; // internal type: xunit passes it boxed
        var policy = Compile($$"""
            name: heartbeat
            matrix:
              - {id: r, when: {expr: "heartbeats < 1", on_no_data: {{onNoData}}}, action: rollback, authority: automatic}
            """);

        var decision = policy.At(policy.CreateState(), 0, NoData("heartbeats"));

        decision.Action.ShouldBe(action);
        decision.IsInconclusive.ShouldBe(inconclusive);
    }

    [Fact]
    public void OnNoData_DoesNotApplyToSourceErrors_WhichFollowOnError()
    {
        var policy = Compile("""
            name: heartbeat
            matrix:
              - {id: r, when: {expr: "heartbeats < 1", on_no_data: breach}, action: rollback, authority: automatic}
              - {id: e, when: {expr: "errors > 1", on_error: breach}, action: investigate, authority: on-call}
            """);

        var decision = policy.At(policy.CreateState(), 0, Failed("heartbeats"), Failed("errors"));

        decision.Action.ShouldBe(DecisionAction.Investigate);
        decision.RuleId.ShouldBe("e");
    }

    [Fact]
    public void StructuredComparison_ReadsSignalOpAndThreshold()
    {
        var policy = Compile("""
            name: structured
            matrix:
              - id: r
                when: {signal: error_rate, op: ">=", threshold: 0.05}
                action: rollback
                authority: on-call
            """);

        policy.At(policy.CreateState(), 0, V("error_rate", 0.05)).Action.ShouldBe(DecisionAction.Rollback);
    }
}
