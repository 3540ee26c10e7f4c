using Watchdog.Actions.Kubernetes;

namespace Watchdog.Tests.Actions.Kubernetes;

public sealed class VirtualServiceWeightsActionTests
{
    [Fact]
    public void Validate_TheRunbooksReset_IsValid()
    {
        VirtualServiceWeightsAction.ValidateParameters(new Dictionary<string, string> { ["virtualservice"] = "wakala", ["namespace"] = "production", ["stable_subset"] = "stable" }).ShouldBeEmpty();
        VirtualServiceWeightsAction.ValidateParameters(new Dictionary<string, string>
        {
            ["virtualservice"] = "wakala", ["stable_host"] = "wakala-stable", ["route"] = "primary", ["api_version"] = "networking.istio.io/v1",
        }).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        VirtualServiceWeightsAction.ValidateParameters(new Dictionary<string, string>
        {
            ["namespace"] = "", ["stable_subset"] = "stable", ["stable_host"] = "wakala", ["api_version"] = "networking.istio.io/v2", ["weight"] = "100",
        }).ShouldBe(
        [
            "virtualservice: required, the VirtualService's name",
            "namespace: empty",
            "name the destination that gets all traffic with exactly one of stable_subset: SUBSET or stable_host: HOST",
            "api_version: 'networking.istio.io/v2' is not one of networking.istio.io/v1alpha3, networking.istio.io/v1beta1, networking.istio.io/v1",
            "weight: unknown parameter (virtualservice, namespace, stable_subset, stable_host, route, api_version)",
        ]);
        VirtualServiceWeightsAction.ValidateParameters(new Dictionary<string, string> { ["virtualservice"] = "wakala" })
            .ShouldBe(["name the destination that gets all traffic with exactly one of stable_subset: SUBSET or stable_host: HOST"]);
    }
}
