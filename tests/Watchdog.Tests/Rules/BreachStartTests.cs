using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

public sealed class BreachStartTests
{
    [Fact]
    public void Breach_RuleFor30sFirstHoldingAtT0_IsSatisfiedAtT0Plus30sWithTheBreachAtT0()
    {
        var policy = Compile("""
            name: windowed
            matrix:
              - {id: r, when: "e > 0.1", for: 30s, action: rollback, authority: automatic}
            """);
        var state = policy.CreateState();
        policy.At(state, 0, V("e", 0.0));
        policy.At(state, 10, V("e", 0.5));
        policy.At(state, 25, V("e", 0.5));

        var decision = policy.At(state, 40, V("e", 0.5));

        decision.Action.ShouldBe(DecisionAction.Rollback);
        decision.At.ShouldBe(T0.AddSeconds(40));
        decision.BreachStartedAt.ShouldBe(T0.AddSeconds(10));
    }

    [Fact]
    public void Breach_AfterTheWindowRestarted_BeginsAtTheRestart()
    {
        var policy = Compile("""
            name: windowed
            matrix:
              - {id: r, when: "e > 0.1", for: 30s, action: rollback, authority: automatic}
            """);
        var state = policy.CreateState();
        policy.At(state, 0, V("e", 0.5));
        policy.At(state, 15, V("e", 0.0));
        policy.At(state, 30, V("e", 0.5));

        policy.At(state, 60, V("e", 0.5)).BreachStartedAt.ShouldBe(T0.AddSeconds(30));
    }

    [Fact]
    public void Breach_ForOnAPartOfAnAll_BeginsWhenThatPartStartedHolding()
    {
        var policy = Compile("""
            name: parts
            conditions:
              slow: {expr: "latency > 1", for: 30s}
            matrix:
              - {id: r, when: {all: ["slow", "up > 0"]}, action: rollback, authority: automatic}
            """);
        var state = policy.CreateState();
        policy.At(state, 5, V("latency", 2), V("up", 1));

        var decision = policy.At(state, 35, V("latency", 2), V("up", 1));

        decision.Action.ShouldBe(DecisionAction.Rollback);
        decision.BreachStartedAt.ShouldBe(T0.AddSeconds(5));
    }

    [Fact]
    public void Breach_TreeLeafBehindAForCondition_BeginsAtTheStartOfItsWindow()
    {
        var policy = Compile("""
            name: tree
            conditions:
              down: {expr: "up < 1", for: 20s}
            tree:
              if: down
              then: {id: undo, action: rollback, authority: automatic}
              else: {id: fine, action: none}
            """);
        var state = policy.CreateState();
        policy.At(state, 3, V("up", 0));

        var decision = policy.At(state, 23, V("up", 0));

        decision.RuleId.ShouldBe("undo");
        decision.BreachStartedAt.ShouldBe(T0.AddSeconds(3));
    }

    [Fact]
    public void Breach_NoRuleHolding_IsNull()
    {
        var policy = Compile("""
            name: windowed
            matrix:
              - {id: r, when: "e > 0.1", action: rollback, authority: automatic}
            """);

        policy.At(policy.CreateState(), 0, V("e", 0.0)).BreachStartedAt.ShouldBeNull();
    }
}
