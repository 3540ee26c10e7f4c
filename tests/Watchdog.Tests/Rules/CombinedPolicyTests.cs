using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

public sealed class CombinedPolicyTests
{
    private static readonly CompiledPolicy Policy = Compile("""
        name: both
        matrix:
          - {id: m-look, when: "latency > 2", action: investigate, authority: on-call}
          - {id: m-undo, when: "errors > 0.1", action: rollback, authority: on-call}
        tree:
          if: "health < 1"
          then: {id: t-undo, action: rollback, authority: automatic}
          else: {id: t-fine, action: none}
        """);

    [Fact]
    public void Evaluate_TreeMoreSevere_TreeWins()
    {
        var decision = Policy.At(Policy.CreateState(), 0, V("latency", 3), V("errors", 0), V("health", 0));

        decision.RuleId.ShouldBe("t-undo");
        decision.Source.ShouldBe(DecisionSource.Tree);
    }

    [Fact]
    public void Evaluate_SameActionBothWays_LeastAuthorityWins()
    {
        var decision = Policy.At(Policy.CreateState(), 0, V("latency", 0), V("errors", 0.5), V("health", 0));

        decision.RuleId.ShouldBe("t-undo");
        decision.Authority.ShouldBe(Authority.Automatic);
    }

    [Fact]
    public void Evaluate_MatrixMoreSevere_MatrixWins()
    {
        var decision = Policy.At(Policy.CreateState(), 0, V("latency", 3), V("errors", 0), V("health", 1));

        decision.RuleId.ShouldBe("m-look");
    }

    [Fact]
    public void Evaluate_TreeInconclusiveButMatrixActs_MatrixActionStands()
    {
        var decision = Policy.At(Policy.CreateState(), 0, V("latency", 3), V("errors", 0), NoData("health"));

        decision.RuleId.ShouldBe("m-look");
        decision.IsInconclusive.ShouldBeFalse();
    }

    [Fact]
    public void Evaluate_TreeInconclusiveAndMatrixNone_IsInconclusive()
    {
        var decision = Policy.At(Policy.CreateState(), 0, V("latency", 0), V("errors", 0), NoData("health"));

        decision.IsInconclusive.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_BothHealthy_IsConclusiveNone()
    {
        var decision = Policy.At(Policy.CreateState(), 0, V("latency", 0), V("errors", 0), V("health", 1));

        decision.Action.ShouldBe(DecisionAction.None);
        decision.IsInconclusive.ShouldBeFalse();
    }
}
