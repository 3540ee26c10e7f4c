using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

public sealed class CooldownTests
{
    private static readonly CompiledPolicy Policy = Compile("""
        name: cooled
        cooldown: 5m
        matrix:
          - {id: undo, when: "errors > 0.1", action: rollback, authority: automatic}
          - {id: look, when: "latency > 2", action: investigate, authority: on-call, cooldown: 0s}
        """);

    [Fact]
    public void Evaluate_WithinCooldownAfterAnAction_RowIsHeldBackAndSaysSo()
    {
        var state = Policy.CreateState();
        state.RecordAction(T0);

        var decision = Policy.At(state, 299, V("errors", 0.5), V("latency", 0));

        decision.Action.ShouldBe(DecisionAction.None);
        decision.SuppressedByCooldown.ShouldBeTrue();
        Policy.Explain(state).Rules.Single(r => r.Id == "undo").SuppressedByCooldown.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_CooldownOver_RowHoldsAgain()
    {
        var state = Policy.CreateState();
        state.RecordAction(T0);

        Policy.At(state, 300, V("errors", 0.5), V("latency", 0)).Action.ShouldBe(DecisionAction.Rollback);
    }

    [Fact]
    public void Evaluate_RowWithoutCooldown_IsNotHeldBack_AndWinsWhileTheOtherWaits()
    {
        var state = Policy.CreateState();
        state.RecordAction(T0);

        var decision = Policy.At(state, 10, V("errors", 0.5), V("latency", 3));

        decision.RuleId.ShouldBe("look");
        decision.SuppressedByCooldown.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_NoActionYet_CooldownDoesNothing()
    {
        Policy.At(Policy.CreateState(), 0, V("errors", 0.5), V("latency", 0)).Action.ShouldBe(DecisionAction.Rollback);
    }
}
