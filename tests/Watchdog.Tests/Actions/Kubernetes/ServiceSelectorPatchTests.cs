using System.Text.Json.Nodes;
using Watchdog.Actions.Kubernetes;
using Watchdog.Kubernetes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>The JSON Patch service-selector-switch sends, built from the real kube-dns Service of the fixture.</summary>
public sealed class ServiceSelectorPatchTests
{
    private static JsonObject KubeDns() =>
        JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures", "servicelist-1.28-kube-dns.json")))!["items"]![0]!.DeepClone().AsObject();

    private static SelectorLabels Labels(string text) => SelectorLabels.Parse("selector", text, []) ?? throw new ArgumentException(text);

    private static JsonObject Selector(JsonObject service) => service["spec"]!["selector"]!.AsObject();

    private static string Json(string text) => JsonNode.Parse(text)!.ToJsonString();

    [Fact]
    public void Build_ReplacedKey_TestsTheResourceVersionAndTheOldValue_ThenReplaces_AndRemembersTheSelectorBefore()
    {
        var patch = ServiceSelectorPatch.Build(KubeDns(), Labels("k8s-app=kube-dns-blue"));

        patch.ToJsonString().ShouldBe(Json("""
            [{"op":"test","path":"/metadata/resourceVersion","value":"279"},
             {"op":"test","path":"/spec/selector/k8s-app","value":"kube-dns"},
             {"op":"replace","path":"/spec/selector/k8s-app","value":"kube-dns-blue"},
             {"op":"add","path":"/metadata/annotations/watchdog.io~1selector-before","value":"{\"k8s-app\":\"kube-dns\"}"}]
            """));
    }

    [Fact]
    public void Build_NewKeyWithASlash_IsAddedUnderItsEscapedPointer_AndAServiceWithoutAnnotationsGetsTheMap()
    {
        var service = KubeDns();
        service["metadata"]!.AsObject().Remove("annotations");
        Selector(service)["version"] = "green";

        var patch = ServiceSelectorPatch.Build(service, Labels("version=blue,app.kubernetes.io/track=stable"));

        patch.ToJsonString().ShouldBe(Json("""
            [{"op":"test","path":"/metadata/resourceVersion","value":"279"},
             {"op":"test","path":"/spec/selector/version","value":"green"},
             {"op":"replace","path":"/spec/selector/version","value":"blue"},
             {"op":"add","path":"/spec/selector/app.kubernetes.io~1track","value":"stable"},
             {"op":"add","path":"/metadata/annotations","value":{"watchdog.io/selector-before":"{\"k8s-app\":\"kube-dns\",\"version\":\"green\"}"}}]
            """));
    }

    [Fact]
    public void Build_AfterAnEarlierSwitch_KeepsTheFirstRememberedSelector_AndLeavesUnchangedKeysAlone()
    {
        var service = KubeDns();
        service["metadata"]!["annotations"]![ServiceSelectorPatch.BeforeAnnotation] = """{"k8s-app":"kube-dns","version":"green"}""";
        Selector(service)["version"] = "red";

        var patch = ServiceSelectorPatch.Build(service, Labels("k8s-app=kube-dns,version=blue"));

        patch.ToJsonString().ShouldBe(Json("""
            [{"op":"test","path":"/metadata/resourceVersion","value":"279"},
             {"op":"test","path":"/spec/selector/version","value":"red"},
             {"op":"replace","path":"/spec/selector/version","value":"blue"}]
            """));
    }

    [Fact]
    public void Desired_SetsTheNamedKeys_KeepsTheOthers_InTheServicesOrder_WithNewKeysLast()
    {
        var selector = new JsonObject { ["app"] = "wakala", ["version"] = "green", ["tier"] = "web" };

        SelectorLabels.Format(ServiceSelectorPatch.Desired(selector, Labels("track=main,version=blue"))).ShouldBe("app=wakala,version=blue,tier=web,track=main");
        ServiceSelectorPatch.AlreadySelects(selector, Labels("version=green,app=wakala")).ShouldBeTrue();
        ServiceSelectorPatch.AlreadySelects(selector, Labels("version=blue")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("version", "version")]
    [InlineData("app.kubernetes.io/version", "app.kubernetes.io~1version")]
    [InlineData("a~b/c", "a~0b~1c")]
    [InlineData("x~1", "x~01")]
    [InlineData("/~", "~1~0")]
    public void JsonPointer_EscapesTildeThenSlash_PerRfc6901(string token, string escaped) => JsonPointer.Escape(token).ShouldBe(escaped);

    [Fact]
    public void SelectorLabels_ReportsEveryBadTerm()
    {
        var errors = new List<string>();

        SelectorLabels.Parse("selector", "version:blue,app=,=x,Bad Key=1,version=blue,version=green,a!=b", errors).ShouldBeNull();

        errors.ShouldBe(
        [
            "selector: 'version:blue' is not key=value",
            "selector: '' is not a label value for app (1 to 63 letters, digits, '-', '_', '.', starting and ending alphanumeric)",
            "selector: '' is not a label key ([prefix/]name, name up to 63 letters, digits, '-', '_', '.')",
            "selector: 'Bad Key' is not a label key ([prefix/]name, name up to 63 letters, digits, '-', '_', '.')",
            "selector: version given twice",
            "selector: 'a!=b' is not key=value",
        ]);
        SelectorLabels.Parse("selector", " app = wakala , version=blue ", errors)!.ToString().ShouldBe("app=wakala,version=blue");
    }

    [Fact]
    public void PodReadiness_IsReadyTrue_AndNotTerminating()
    {
        static Pod Pod(string ready, bool terminating = false)
        {
            var metadata = new JsonObject { ["name"] = "p" };
            if (terminating)
            {
                metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z";
            }

            var pod = new JsonObject
            {
                ["metadata"] = metadata,
                ["status"] = JsonNode.Parse($$"""{"phase":"Running","conditions":[{"type":"ContainersReady","status":"True"},{"type":"Ready","status":"{{ready}}"}]}"""),
            };
            return System.Text.Json.JsonSerializer.Deserialize(pod.ToJsonString(), KubernetesJsonContext.Default.Pod)!;
        }

        PodReadiness.IsReady(Pod("True")).ShouldBeTrue();
        PodReadiness.IsReady(Pod("False")).ShouldBeFalse();
        PodReadiness.IsReady(Pod("True", terminating: true)).ShouldBeFalse();
        PodReadiness.IsReady(new Pod()).ShouldBeFalse();
    }
}
