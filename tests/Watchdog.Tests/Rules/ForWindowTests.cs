using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

public sealed class ForWindowTests
{
    private static readonly CompiledPolicy Policy = Compile("""
        name: windowed
        matrix:
          - {id: r, when: "e > 0.1", for: 30s, action: rollback, authority: automatic}
        """);

    [Fact]
    public void For_HeldOnlyAtTheFirstEvaluation_DoesNotHold()
    {
        var state = Policy.CreateState();

        Policy.At(state, 0, V("e", 0.5)).Action.ShouldBe(DecisionAction.None);
    }

    [Fact]
    public void For_OneTickShortOfTheWindow_DoesNotHold_AndAtTheEdgeItDoes()
    {
        var state = Policy.CreateState();
        Policy.At(state, 10, V("e", 0.5));

        Policy.At(state, 39.999, V("e", 0.5)).Action.ShouldBe(DecisionAction.None);
        Policy.At(state, 40, V("e", 0.5)).Action.ShouldBe(DecisionAction.Rollback);
    }

    [Fact]
    public void For_AFalseEvaluationInsideTheWindow_RestartsTheClock()
    {
        var state = Policy.CreateState();
        Policy.At(state, 0, V("e", 0.5));
        Policy.At(state, 15, V("e", 0.0));
        Policy.At(state, 30, V("e", 0.5));

        Policy.At(state, 45, V("e", 0.5)).Action.ShouldBe(DecisionAction.None);
        Policy.At(state, 60, V("e", 0.5)).Action.ShouldBe(DecisionAction.Rollback);
    }

    [Fact]
    public void For_NoDataInsideTheWindow_RestartsTheClockAndIsInconclusive()
    {
        var state = Policy.CreateState();
        Policy.At(state, 0, V("e", 0.5));

        Policy.At(state, 15, NoData("e")).IsInconclusive.ShouldBeTrue();
        Policy.At(state, 30, V("e", 0.5)).Action.ShouldBe(DecisionAction.None);
        Policy.At(state, 45, V("e", 0.5)).Action.ShouldBe(DecisionAction.None);
        Policy.At(state, 60, V("e", 0.5)).Action.ShouldBe(DecisionAction.Rollback);
    }

    [Fact]
    public void For_OnNoDataBreach_KeepsTheClockRunningThroughGaps()
    {
        var policy = Compile("""
            name: windowed
            matrix:
              - {id: r, when: {expr: "e > 0.1", on_no_data: breach}, for: 30s, action: rollback, authority: automatic}
            """);
        var state = policy.CreateState();
        policy.At(state, 0, V("e", 0.5));
        policy.At(state, 15, NoData("e"));

        policy.At(state, 30, V("e", 0.5)).Action.ShouldBe(DecisionAction.Rollback);
    }

    [Fact]
    public void For_OnAComposite_NeedsTheWholeConditionToHoldThroughTheWindow()
    {
        var policy = Compile("""
            name: composite
            matrix:
              - {id: r, when: {any: ["a > 0", "b > 0"]}, for: 20s, action: rollback, authority: automatic}
            """);
        var state = policy.CreateState();
        policy.At(state, 0, V("a", 1), V("b", 0));
        policy.At(state, 10, V("a", 0), V("b", 1));

        policy.At(state, 20, V("a", 1), V("b", 0)).Action.ShouldBe(DecisionAction.Rollback);
    }

    [Fact]
    public void For_SharedNamedCondition_HasOneClockWhicheverPathReadsIt()
    {
        var policy = Compile("""
            name: shared
            conditions:
              hot: {expr: "e > 0.1", for: 30s}
            matrix:
              - {id: first, when: hot, action: investigate, authority: on-call}
              - {id: second, when: {all: [hot, "f > 0"]}, action: rollback, authority: on-call}
            """);
        var state = policy.CreateState();
        policy.At(state, 0, V("e", 1), V("f", 0));
        policy.At(state, 15, V("e", 1), V("f", 0));

        var decision = policy.At(state, 30, V("e", 1), V("f", 1));

        decision.Action.ShouldBe(DecisionAction.Rollback);
        decision.RuleId.ShouldBe("second");
    }

    [Fact]
    public void For_TreeConditionOffThePath_StillAdvancesItsClockEveryEvaluation()
    {
        var policy = Compile("""
            name: offpath
            conditions:
              gate: "g > 0"
              slow: {expr: "e > 0.1", for: 30s}
            tree:
              if: gate
              then:
                if: slow
                then: {id: act, action: rollback, authority: automatic}
                else: {id: wait, action: monitor, authority: automatic}
              else: {id: idle, action: none}
            """);
        var state = policy.CreateState();
        policy.At(state, 0, V("g", 0), V("e", 1)).RuleId.ShouldBe("idle");
        policy.At(state, 15, V("g", 0), V("e", 1)).RuleId.ShouldBe("idle");

        policy.At(state, 30, V("g", 1), V("e", 1)).RuleId.ShouldBe("act");
    }
}
