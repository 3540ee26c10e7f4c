using System.Text.Json.Nodes;
using Watchdog.Actions.Kubernetes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>The weights virtualservice-weights computes and the JSON Patch it sends, from Istio's reviews 80/20 sample of the fixture.</summary>
public sealed class VirtualServiceWeightPlanTests
{
    private const string Display = "virtualservice default/reviews";

    private static JsonObject Reviews()
    {
        var reviews = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures", "virtualservice-reviews-80-20.json")))!.AsObject();
        reviews["metadata"]!["resourceVersion"] = "4711";
        return reviews;
    }

    private static JsonArray Http(JsonObject virtualService) => virtualService["spec"]!["http"]!.AsArray();

    private static string Json(string text) => JsonNode.Parse(text)!.ToJsonString();

    [Fact]
    public void StableSubsetV1_Gets100_V2Gets0_AsOneTestedPatch()
    {
        var (routes, error) = VirtualServiceWeightPlan.Plan(Reviews(), StableDestination.Subset("v1"), null, Display);

        error.ShouldBeNull();
        VirtualServiceWeightPlan.Describe(routes!, after: false).ShouldBe("v1=80 v2=20");
        VirtualServiceWeightPlan.Describe(routes!, after: true).ShouldBe("v1=100 v2=0");
        VirtualServiceWeightPlan.Patch("4711", routes!).ToJsonString().ShouldBe(Json("""
            [{"op":"test","path":"/metadata/resourceVersion","value":"4711"},
             {"op":"test","path":"/spec/http/0/route/0/destination","value":{"host":"reviews","subset":"v1"}},
             {"op":"replace","path":"/spec/http/0/route/0/weight","value":100},
             {"op":"test","path":"/spec/http/0/route/1/destination","value":{"host":"reviews","subset":"v2"}},
             {"op":"replace","path":"/spec/http/0/route/1/weight","value":0}]
            """));
    }

    [Fact]
    public void StableSubsetV2_MovesEverythingTheOtherWay()
    {
        var (routes, _) = VirtualServiceWeightPlan.Plan(Reviews(), StableDestination.Subset("v2"), null, Display);

        VirtualServiceWeightPlan.Describe(routes!, after: true).ShouldBe("v1=0 v2=100");
    }

    [Fact]
    public void AlreadyAt100And0_ChangesNothing()
    {
        var reviews = Reviews();
        Http(reviews)[0]!["route"]![0]!["weight"] = 100;
        Http(reviews)[0]!["route"]![1]!["weight"] = 0;

        var (routes, _) = VirtualServiceWeightPlan.Plan(reviews, StableDestination.Subset("v1"), null, Display);

        routes!.Any(r => r.Changes).ShouldBeFalse();
        VirtualServiceWeightPlan.Patch("4711", routes!).Count.ShouldBe(1);
    }

    [Fact]
    public void StableHostMatchingBothDestinations_IsAmbiguous()
    {
        var (routes, error) = VirtualServiceWeightPlan.Plan(Reviews(), StableDestination.Host("reviews"), null, Display);

        routes.ShouldBeNull();
        error.ShouldBe("virtualservice default/reviews: http route http[0] has 2 destinations with host reviews (v1, v2); ambiguous, not changing weights");
    }

    [Fact]
    public void NoRouteToTheStableSubset_FailsClearly()
    {
        var (routes, error) = VirtualServiceWeightPlan.Plan(Reviews(), StableDestination.Subset("stable"), null, Display);

        routes.ShouldBeNull();
        error.ShouldBe("virtualservice default/reviews has no route to subset stable");
    }

    [Fact]
    public void MissingWeights_AreAddedWhereTheyMatter_AndALoneUnweightedDestinationAlreadyHasAllTraffic()
    {
        var reviews = Reviews();
        // Route 0: v1 unweighted (0 among two), v2 unweighted. Route 1: the stable subset alone, unweighted (100).
        Http(reviews)[0]!["route"]![0]!.AsObject().Remove("weight");
        Http(reviews)[0]!["route"]![1]!.AsObject().Remove("weight");
        Http(reviews).Add(JsonNode.Parse("""{"name":"api","route":[{"destination":{"host":"reviews","subset":"v1","port":{"number":9080}}}]}"""));

        var (routes, _) = VirtualServiceWeightPlan.Plan(reviews, StableDestination.Subset("v1"), null, Display);

        VirtualServiceWeightPlan.Describe(routes!, after: false).ShouldBe("http[0]: v1=0 v2=0; api: v1=100");
        VirtualServiceWeightPlan.Patch("4711", routes!).ToJsonString().ShouldBe(Json("""
            [{"op":"test","path":"/metadata/resourceVersion","value":"4711"},
             {"op":"test","path":"/spec/http/0/route/0/destination","value":{"host":"reviews","subset":"v1"}},
             {"op":"add","path":"/spec/http/0/route/0/weight","value":100}]
            """));
    }

    [Fact]
    public void ANamedRoute_IsTheOnlyOneChanged_AndAMissingNameFailsClearly()
    {
        var reviews = Reviews();
        Http(reviews).Add(JsonNode.Parse("""
            {"name":"canary","match":[{"headers":{"end-user":{"exact":"jason"}}}],
             "route":[{"destination":{"host":"reviews","subset":"v1"},"weight":50},{"destination":{"host":"reviews-canary"},"weight":50}]}
            """));

        var (routes, _) = VirtualServiceWeightPlan.Plan(reviews, StableDestination.Subset("v1"), "canary", Display);
        var (_, missing) = VirtualServiceWeightPlan.Plan(reviews, StableDestination.Subset("v1"), "mirror", Display);
        var (_, noStable) = VirtualServiceWeightPlan.Plan(reviews, StableDestination.Subset("v2"), "canary", Display);

        routes!.Single().Index.ShouldBe(1);
        VirtualServiceWeightPlan.Describe(routes!, after: false).ShouldBe("v1=50 reviews-canary=50");
        VirtualServiceWeightPlan.Patch("4711", routes!).Select(o => o!["path"]!.GetValue<string>()).ShouldBe(
            ["/metadata/resourceVersion", "/spec/http/1/route/0/destination", "/spec/http/1/route/0/weight", "/spec/http/1/route/1/destination", "/spec/http/1/route/1/weight"]);
        missing.ShouldBe("virtualservice default/reviews has no http route named mirror");
        noStable.ShouldBe("virtualservice default/reviews has no route to subset v2 in http route canary");
    }

    [Fact]
    public void ByDefault_EveryRouteWithTheStableDestinationIsReset_AndOthersAreLeftAlone()
    {
        var reviews = Reviews();
        Http(reviews).Add(JsonNode.Parse("""{"name":"ratings","route":[{"destination":{"host":"ratings","subset":"v3"},"weight":100}]}"""));
        Http(reviews).Add(JsonNode.Parse("""{"name":"second","route":[{"destination":{"host":"reviews","subset":"v1"},"weight":90},{"destination":{"host":"reviews","subset":"v2"},"weight":10}]}"""));

        var (routes, _) = VirtualServiceWeightPlan.Plan(reviews, StableDestination.Subset("v1"), null, Display);

        routes!.Select(r => r.Label).ShouldBe(["http[0]", "second"]);
        VirtualServiceWeightPlan.Describe(routes!, after: false).ShouldBe("http[0]: v1=80 v2=20; second: v1=90 v2=10");
        VirtualServiceWeightPlan.Describe(routes!, after: true).ShouldBe("http[0]: v1=100 v2=0; second: v1=100 v2=0");
    }
}
