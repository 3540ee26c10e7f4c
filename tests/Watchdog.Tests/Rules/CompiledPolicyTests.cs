using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Tests.TestSupport;
using static Watchdog.Tests.TestSupport.PolicyText;

namespace Watchdog.Tests.Rules;

public sealed class CompiledPolicyTests
{
    [Fact]
    public void Evaluate_MatrixPolicyOverSevenSignals_AllocatesNothing()
    {
        var policy = PolicyFileParser.ParseFile(RepositoryPaths.Of("config", "policies", "runbook-matrix.yaml")).Policy!;
        var state = policy.CreateState();
        var frame = policy.CreateFrame();
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = SignalValue.Of(0.5);
        }

        policy.Evaluate(frame, T0, state);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i <= 1000; i++)
        {
            policy.Evaluate(frame, T0.AddSeconds(i), state);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    [Fact]
    public void Evaluate_StateFromAnotherPolicy_IsRejected()
    {
        var a = Compile("name: a\nmatrix: [{id: r, when: 'x > 0', action: none}]");
        var b = Compile("name: b\nmatrix: [{id: r, when: 'x > 0', action: none}]");

        Should.Throw<ArgumentException>(() => a.Evaluate(a.CreateFrame(), T0, b.CreateState()));
    }

    [Fact]
    public void Evaluate_FrameOfWrongLength_IsRejected()
    {
        var policy = Compile("name: a\nmatrix: [{id: r, when: 'x > 0', action: none}]");

        Should.Throw<ArgumentException>(() => policy.Evaluate(new SignalValue[3], T0, policy.CreateState()));
    }

    [Fact]
    public void Signals_ListsEverySignalOnceInOrderOfFirstUse()
    {
        var policy = Compile("""
            name: s
            conditions:
              c: "b > 1"
            matrix:
              - {id: r1, when: {all: ["a > 0", c, "a < 5"]}, action: monitor, authority: automatic}
            """);

        policy.Signals.ShouldBe(["b", "a"]);
    }

    [Fact]
    public void Explain_MatrixDecision_GivesValuesThresholdsAndTheForClock()
    {
        var policy = PolicyFileParser.ParseFile(RepositoryPaths.Of("config", "policies", "runbook-matrix.yaml")).Policy!;
        var state = policy.CreateState();
        policy.At(state, 0, V("error_rate", 0.07), V("p95_latency_seconds", 2.5));
        policy.At(state, 15, V("error_rate", 0.07), V("p95_latency_seconds", 2.5));

        var why = policy.Explain(state);

        why.Summary.ShouldStartWith("inconclusive, no action: no matrix row held and 4 could not be decided (cpu_utilization: no data;");
        why.Rules.Single(r => r.Id == "error-rate-high").Condition.ShouldBe("error_rate > 0.05 [0.07: true] for 30s [pending, held 15s]");
        why.Rules.Single(r => r.Id == "cpu-saturated").Truth.ShouldBe(Truth.Unknown);
        why.Signals.Single(s => s.Signal == "cpu_utilization").State.ShouldBe(SignalState.NoData);
        why.Signals.Single(s => s.Signal == "error_rate").Value.ShouldBe(0.07);
    }

    [Fact]
    public void Explain_InconclusiveMatrix_CountsUndecidedRowsAndNamesMissingSignals()
    {
        var policy = Compile("""
            name: m
            matrix:
              - {id: r1, when: "a > 1", action: rollback, authority: automatic}
              - {id: r2, when: "b > 1", action: rollback, authority: automatic}
            """);
        var state = policy.CreateState();
        policy.At(state, 0, V("a", 0), Failed("b"));

        policy.Explain(state).Summary.ShouldBe("inconclusive, no action: no matrix row held and 1 could not be decided (b: error (connection refused))");
    }

    [Fact]
    public void Explain_NumberWithANote_ShowsTheNoteBesideTheValueAndInTheReading()
    {
        var policy = Compile("name: h\nmatrix: [{id: unhealthy, when: 'health >= 0.5', action: rollback, authority: automatic}]");
        var state = policy.CreateState();
        policy.At(state, 0, ("health", SignalValue.Of(1, "2/2 failed: http://a/healthz connection refused; http://b/healthz no answer within 1000 ms")));

        var why = policy.Explain(state);

        why.Summary.ShouldBe("rollback (automatic) by matrix row unhealthy: health >= 0.5 [1 (2/2 failed: http://a/healthz connection refused; http://b/healthz no answer within 1000 ms): true]");
        why.Signals.ShouldBe([new SignalReading("health", SignalState.Number, 1, null, "2/2 failed: http://a/healthz connection refused; http://b/healthz no answer within 1000 ms")]);
    }

    [Fact]
    public void Explain_BeforeAnyEvaluation_Throws()
    {
        var policy = Compile("name: a\nmatrix: [{id: r, when: 'x > 0', action: none}]");

        Should.Throw<InvalidOperationException>(() => policy.Explain(policy.CreateState()));
    }
}
