using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

/// <summary>A condition over a signal the target does not watch at all: not applicable, counts as false, never unknown.</summary>
public sealed class NotApplicableTests
{
    private static readonly CompiledPolicy Matrix = Compile("""
        name: matrix
        matrix:
          - {id: errors, when: "error_rate > 0.10", action: rollback, authority: automatic}
          - {id: slow, when: "latency > 2", action: investigate, authority: on-call}
        """);

    private static readonly CompiledPolicy Tree = Compile("""
        name: tree
        conditions:
          slow: "latency > 2"
        tree:
          if: slow
          then: {id: look, action: investigate, authority: on-call}
          else:
            if: "error_rate > 0.10"
            then: {id: undo, action: rollback, authority: automatic}
            else: {id: fine, action: none}
        """);

    private static (string, SignalValue) NotWatched(string signal) => (signal, SignalValue.NotWatched);

    [Fact]
    public void MatrixRowOverASignalNotWatched_CountsAsFalse_AndLeavesTheDecisionConclusive()
    {
        var decision = Matrix.At(Matrix.CreateState(), 0, V("error_rate", 0.01), NotWatched("latency"));

        decision.IsInconclusive.ShouldBeFalse();
        decision.Action.ShouldBe(DecisionAction.None);
    }

    [Fact]
    public void MatrixRowOverASignalNotWatched_DoesNotHideAnotherRowThatHolds()
    {
        var decision = Matrix.At(Matrix.CreateState(), 0, V("error_rate", 0.5), NotWatched("latency"));

        decision.RuleId.ShouldBe("errors");
        decision.Action.ShouldBe(DecisionAction.Rollback);
    }

    [Fact]
    public void WatchedSignalWithNoDataOrAnError_StaysUnknown()
    {
        Matrix.At(Matrix.CreateState(), 0, V("error_rate", 0.01), NoData("latency")).IsInconclusive.ShouldBeTrue();
        Matrix.At(Matrix.CreateState(), 0, V("error_rate", 0.01), Failed("latency")).IsInconclusive.ShouldBeTrue();
    }

    [Fact]
    public void Explanation_SaysNotApplicable_AndDoesNotListTheSignalAsMissing()
    {
        var state = Matrix.CreateState();
        Matrix.At(state, 0, V("error_rate", 0.01), NotWatched("latency"));

        var explanation = Matrix.Explain(state);
        explanation.Summary.ShouldBe("none: no rule holds");
        explanation.Rules.Single(r => r.Id == "slow").Truth.ShouldBe(Truth.NotApplicable);
        explanation.Rules.Single(r => r.Id == "slow").Condition.ShouldBe("latency > 2 [not watched: not applicable]");
    }

    [Fact]
    public void TreeConditionOverASignalNotWatched_TakesTheElseBranch_NotInconclusive()
    {
        var healthy = Tree.At(Tree.CreateState(), 0, V("error_rate", 0.01), NotWatched("latency"));
        var bad = Tree.At(Tree.CreateState(), 0, V("error_rate", 0.5), NotWatched("latency"));

        healthy.IsInconclusive.ShouldBeFalse();
        healthy.RuleId.ShouldBe("fine");
        bad.RuleId.ShouldBe("undo");
        Tree.At(Tree.CreateState(), 0, V("error_rate", 0.01), NoData("latency")).IsInconclusive.ShouldBeTrue();
    }

    [Theory]
    [InlineData("any", 1.0, "rollback")]
    [InlineData("any", 0.0, "none")]
    [InlineData("any", double.NaN, "inconclusive")]
    [InlineData("all", 1.0, "none")]
    [InlineData("all", 0.0, "none")]
    [InlineData("all", double.NaN, "none")]
    public void AnyAndAll_WithAnOperandNotWatched(string kind, double a, string expected)
    {
        var policy = Compile($$"""
            name: logic
            matrix:
              - {id: r, when: {{{kind}}: ["a > 0", "b > 0"]}, action: rollback, authority: automatic}
            """);

        // Any: the watched operand decides. All: it can never hold for this target, so it is never unknown either.
        var decision = policy.At(policy.CreateState(), 0, V("a", a), NotWatched("b"));

        Word(decision).ShouldBe(expected);
    }

    [Fact]
    public void AnyOfOnlyOperandsNotWatched_IsNotApplicable_AndNotNeitherIsNot()
    {
        var policy = Compile("""
            name: logic
            matrix:
              - {id: any, when: {any: ["a > 0", "b > 0"]}, action: rollback, authority: automatic}
              - {id: not, when: {not: "a > 0"}, action: rollback, authority: automatic}
              - {id: not-all, when: {not: {all: ["a > 0", "c > 0"]}}, action: rollback, authority: automatic}
            """);
        var state = policy.CreateState();

        var decision = policy.At(state, 0, NotWatched("a"), NotWatched("b"), V("c", 0));

        // Negating a condition the target cannot measure must not make it hold.
        Word(decision).ShouldBe("none");
        policy.Explain(state).Rules.Select(r => r.Truth).ShouldBe([Truth.NotApplicable, Truth.NotApplicable, Truth.NotApplicable]);
    }

    [Fact]
    public void ForWindow_OverASignalNotWatched_NeverHolds()
    {
        var policy = Compile("""
            name: held
            matrix:
              - {id: r, when: "a > 0", for: 10s, action: rollback, authority: automatic}
            """);
        var state = policy.CreateState();

        Word(policy.At(state, 0, NotWatched("a"))).ShouldBe("none");
        Word(policy.At(state, 20, NotWatched("a"))).ShouldBe("none");
    }

    [Fact]
    public void NotApplicableFor_ListsTheRowsAndTreeConditionsOverSignalsNotWatched()
    {
        Matrix.NotApplicableFor(signal => signal == "error_rate").ShouldBe(["slow"]);
        Matrix.NotApplicableFor(_ => true).ShouldBeEmpty();
        Tree.NotApplicableFor(signal => signal == "error_rate").ShouldBe(["tree condition slow"]);
        Tree.NotApplicableFor(signal => signal == "latency").ShouldBe(["tree condition over error_rate"]);
    }

    [Fact]
    public void RuleTruth_OfARowAndOfATreeLeaf_FollowsTheLastEvaluation()
    {
        var matrix = Matrix.CreateState();
        Matrix.At(matrix, 0, V("error_rate", 0.01), NoData("latency"));
        Matrix.RuleTruth("errors", matrix).ShouldBe(Truth.False);
        Matrix.RuleTruth("slow", matrix).ShouldBe(Truth.Unknown);
        Matrix.At(matrix, 1, V("error_rate", 0.01), NotWatched("latency"));
        Matrix.RuleTruth("slow", matrix).ShouldBe(Truth.False);

        var tree = Tree.CreateState();
        Tree.At(tree, 0, V("error_rate", 0.5), NotWatched("latency"));
        Tree.RuleTruth("undo", tree).ShouldBe(Truth.True);
        Tree.RuleTruth("look", tree).ShouldBe(Truth.False);
        Tree.At(tree, 1, V("error_rate", 0.01), NoData("latency"));
        Tree.RuleTruth("undo", tree).ShouldBe(Truth.False);
        Tree.RuleTruth("look", tree).ShouldBe(Truth.Unknown);
        Tree.At(tree, 2, V("error_rate", 0.5), NoData("latency"));
        Tree.RuleTruth("undo", tree).ShouldBe(Truth.Unknown);
    }

    private static string Word(Decision decision) =>
        decision.IsInconclusive ? "inconclusive" : decision.Action == DecisionAction.None ? "none" : decision.Action.ToName();
}
