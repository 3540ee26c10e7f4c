using Watchdog.Rules;

namespace Watchdog.Tests.Configuration;

/// <summary>Plan step parameters as the loader hands them to actions: flat, with one level of nesting flattened to dotted keys.</summary>
public sealed class PlanStepParametersTests : IDisposable
{
    private const string Head = ConfigSamples.PrometheusAndMatrix + "\n" + """
        targets:
          - name: wakala-api
            policy: runbook-matrix
            plans:
              rollback:

        """;

    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_NestedMapping_IsFlattenedToParentDotChild_KeepingTheKeysCaseAndTheValuesWhole()
    {
        var result = _scenario.Load(Head + """
                      - action: configmap-patch
                        configmap: wakala-config
                        namespace: production
                        data:
                          CIRCUIT_BREAKER_ENABLED: "true"
                          CIRCUIT_BREAKER_THRESHOLD: "10"
                          circuitBreaker.timeout-Seconds: " 60 "
                      - action: rollout-restart
                        deployment: wakala-api
                        namespace: production
            """);

        result.Errors.ShouldBeEmpty();
        var steps = result.Options!.Targets[0].Plans[DecisionAction.Rollback];
        steps[0].Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}").ShouldBe(
        [
            "configmap=wakala-config",
            "data.CIRCUIT_BREAKER_ENABLED=true",
            "data.CIRCUIT_BREAKER_THRESHOLD=10",
            "data.circuitBreaker.timeout-Seconds= 60 ",
            "namespace=production",
        ]);
        steps[1].Parameters.Keys.ShouldBe(["deployment", "namespace"], ignoreOrder: true);
    }

    [Fact]
    public void Load_DeeperNestingOrAList_IsAnErrorAtItsPath_AndEveryOneIsReported()
    {
        var result = _scenario.Load(Head + """
                      - action: webhook
                        url: http://ci/job
                        data:
                          A: "1"
                          deeper:
                            B: "2"
                        tags: [one, two]
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            _scenario.At(19, "targets[0].plans.rollback[0].data.deeper: nested too deeply: a step parameter holds a single value or one level of key: value pairs"),
            _scenario.At(21, "targets[0].plans.rollback[0].tags: expected a single value or a mapping of key: value pairs, not a list"),
        ]);
    }

    [Fact]
    public void Load_TheSameParameterFlatAndNested_IsAnError()
    {
        var result = _scenario.Load(Head + """
                      - action: webhook
                        url: http://ci/job
                        data.A: "1"
                        data:
                          A: "2"
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [_scenario.At(17, "targets[0].plans.rollback[0].data.A: 'data.A' is set twice in this step")]);
    }

    [Fact]
    public void Load_NestedParameters_AreCheckedByTheAction_WithTheStepsPath()
    {
        var result = _scenario.Load(Head + """
                      - action: configmap-patch
                        configmap: wakala-config
                        data:
                          "bad key": "x"
                        remove: OLD_FLAG
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            _scenario.At(15, "targets[0].plans.rollback[0]: data.bad key: 'bad key' is not a ConfigMap key (letters, digits, '-', '_' and '.'; not '.' or '..' or starting with '..')"),
        ]);
    }
}
