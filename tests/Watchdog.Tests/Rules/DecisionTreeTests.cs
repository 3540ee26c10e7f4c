using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

public sealed class DecisionTreeTests
{
    private static readonly CompiledPolicy Policy = Compile("""
        name: tree
        conditions:
          down: "up < 1"
          erroring: "errors > 0.05"
        tree:
          if: down
          then: {id: undo, action: rollback, authority: automatic}
          else:
            if: erroring
            then: {id: look, action: investigate, authority: on-call}
            else: {id: fine, action: none}
        """);

    [Theory]
    [InlineData(0, 0.0, "undo", DecisionAction.Rollback)]
    [InlineData(1, 0.5, "look", DecisionAction.Investigate)]
    [InlineData(1, 0.0, "fine", DecisionAction.None)]
    public void Evaluate_EachBranch_ReachesItsLeaf(double up, double errors, string leaf, object actionValue)
    {
        var action = (DecisionAction)actionValue; // internal type: xunit passes it boxed
        var decision = Policy.At(Policy.CreateState(), 0, V("up", up), V("errors", errors));

        decision.RuleId.ShouldBe(leaf);
        decision.Action.ShouldBe(action);
        decision.Source.ShouldBe(DecisionSource.Tree);
        decision.IsInconclusive.ShouldBeFalse();
    }

    [Fact]
    public void Evaluate_UnknownConditionOnThePath_IsInconclusive()
    {
        var decision = Policy.At(Policy.CreateState(), 0, V("up", 1), NoData("errors"));

        decision.IsInconclusive.ShouldBeTrue();
        decision.Action.ShouldBe(DecisionAction.None);
    }

    [Fact]
    public void Evaluate_UnknownConditionOffThePath_DoesNotMatter()
    {
        var decision = Policy.At(Policy.CreateState(), 0, V("up", 0), Failed("errors"));

        decision.RuleId.ShouldBe("undo");
        decision.IsInconclusive.ShouldBeFalse();
    }

    [Fact]
    public void Explain_TreeDecision_ShowsThePathTaken()
    {
        var state = Policy.CreateState();
        Policy.At(state, 0, V("up", 1), V("errors", 0.2));

        var why = Policy.Explain(state);

        why.TreePath.ShouldBe(["down is false", "erroring is true", "leaf look"]);
        why.Summary.ShouldBe("investigate (on-call) by tree leaf look via down is false, erroring is true");
    }

    [Fact]
    public void Explain_InconclusiveTree_NamesTheUndecidedConditionAndTheMissingSignal()
    {
        var state = Policy.CreateState();
        Policy.At(state, 0, V("up", 1), NoData("errors"));

        var why = Policy.Explain(state);

        why.TreePath.ShouldBe(["down is false", "erroring is unknown", "inconclusive"]);
        why.Summary.ShouldBe("inconclusive, no action: the tree could not decide: erroring is unknown (errors: no data)");
    }
}
