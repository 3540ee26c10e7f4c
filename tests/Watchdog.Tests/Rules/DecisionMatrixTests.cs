using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

public sealed class DecisionMatrixTests
{
    private static readonly CompiledPolicy Policy = Compile("""
        name: ordering
        matrix:
          - {id: watch, when: "a > 0", action: monitor, authority: automatic}
          - {id: look, when: "b > 0", action: investigate, authority: on-call}
          - {id: grow, when: "c > 0", action: scale, authority: team-lead}
          - {id: grow-then-undo, when: "d > 0", action: scale-then-rollback, authority: on-call}
          - {id: undo-lead, when: "e > 0", action: rollback, authority: team-lead}
          - {id: freeze, when: "f > 0", action: stop-writes, authority: on-call}
          - {id: undo-cto, when: "g > 0", action: rollback, authority: cto}
          - {id: undo-oncall, when: "h > 0", action: rollback, authority: on-call}
        """);

    private static readonly string[] Signals = ["a", "b", "c", "d", "e", "f", "g", "h"];

    private static Decision With(params string[] breached) =>
        Policy.At(Policy.CreateState(), 0, [.. Signals.Select(s => V(s, breached.Contains(s) ? 1 : 0))]);

    [Theory]
    [InlineData("watch", "a")]
    [InlineData("look", "a", "b")]
    [InlineData("grow", "a", "b", "c")]
    [InlineData("grow-then-undo", "a", "b", "c", "d")]
    [InlineData("undo-lead", "c", "d", "e")]
    public void Evaluate_SeveralRowsHold_MostSevereActionWins(string expected, params string[] breached)
    {
        With(breached).RuleId.ShouldBe(expected);
    }

    [Fact]
    public void Evaluate_RollbackAndStopWritesTie_LeastAuthorityWins()
    {
        With("e", "f").RuleId.ShouldBe("freeze");
        With("e", "g").RuleId.ShouldBe("undo-lead");
    }

    [Fact]
    public void Evaluate_EqualActionAndAuthority_EarlierRowWins()
    {
        With("f", "h").RuleId.ShouldBe("freeze");
    }

    [Fact]
    public void Evaluate_AllRowsFalse_IsNoneAndConclusive()
    {
        var decision = With();

        decision.Action.ShouldBe(DecisionAction.None);
        decision.IsInconclusive.ShouldBeFalse();
        decision.RuleId.ShouldBeNull();
    }

    [Fact]
    public void Evaluate_NoRowHoldsAndOneUnknown_IsInconclusive()
    {
        var decision = Policy.At(Policy.CreateState(), 0, [.. Signals.Skip(1).Select(s => V(s, 0)), NoData("a")]);

        decision.IsInconclusive.ShouldBeTrue();
        decision.Action.ShouldBe(DecisionAction.None);
    }

    [Fact]
    public void Evaluate_UnknownRowBesideAHoldingRow_DoesNotHoldAndTheHoldingRowDecides()
    {
        var decision = Policy.At(Policy.CreateState(), 0, V("b", 1), Failed("h"));

        decision.RuleId.ShouldBe("look");
        decision.IsInconclusive.ShouldBeFalse();
    }

    [Fact]
    public void Evaluate_RowSeverityLabel_IsCarriedOnTheDecision()
    {
        var policy = Compile("""
            name: labelled
            matrix:
              - {id: r, when: "a > 0", action: rollback, authority: automatic, severity: critical}
            """);

        var decision = policy.At(policy.CreateState(), 0, V("a", 1));

        decision.Severity.ShouldBe("critical");
        decision.Source.ShouldBe(DecisionSource.Matrix);
    }
}
