using System.Text.Json.Nodes;
using Watchdog.Actions.Kubernetes;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>kubectl rollout status's decision (spec §3.2), in its order and words.</summary>
public sealed class RolloutStatusTests
{
    private static (bool Done, bool Failed, string Message) Status(string json) => RolloutWaitAction.Status(JsonNode.Parse(json)!, "checkout");

    [Fact]
    public void Status_GenerationNotObservedYet_WaitsForTheSpecUpdate() =>
        Status("""{"metadata":{"generation":3},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":3,"updatedReplicas":3,"availableReplicas":3}}""")
            .ShouldBe((false, false, "Waiting for deployment spec update to be observed..."));

    [Fact]
    public void Status_ProgressDeadlineExceeded_FailsBeforeAnyCount() =>
        Status("""{"metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"updatedReplicas":1,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}}""")
            .ShouldBe((false, true, "deployment \"checkout\" exceeded its progress deadline"));

    [Theory]
    [InlineData(1, 3, 1, "1 out of 3 new replicas have been updated...")]
    [InlineData(3, 4, 3, "1 old replicas are pending termination...")]
    [InlineData(3, 3, 2, "2 of 3 updated replicas are available...")]
    public void Status_RolloutUnderWay_WaitsWithKubectlsMessage(int updated, int replicas, int available, string message) =>
        Status($$$"""{"metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":{{{replicas}}},"updatedReplicas":{{{updated}}},"availableReplicas":{{{available}}}}}""")
            .ShouldBe((false, false, $"Waiting for deployment \"checkout\" rollout to finish: {message}"));

    [Fact]
    public void Status_AllUpdatedAndAvailable_IsDone() =>
        Status("""{"metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":3,"updatedReplicas":3,"availableReplicas":3}}""")
            .ShouldBe((true, false, "deployment \"checkout\" successfully rolled out"));
}
