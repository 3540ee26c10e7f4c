using System.Text.Json.Nodes;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.Tests.Sandbox.Kubernetes;

public sealed class PatchSemanticsTests
{
    private static JsonObject Pod() => JsonNode.Parse("""
        {"metadata":{"labels":{"app":"web","tier":"front"}},
         "spec":{"containers":[{"name":"web","image":"web:1","env":[{"name":"A","value":"1"}]},{"name":"sidecar","image":"proxy:1"}]}}
        """)!.AsObject();

    [Fact]
    public void Strategic_merge_patches_containers_by_name_and_keeps_the_others()
    {
        var result = StrategicMergePatch.Apply(Pod(), JsonNode.Parse("""{"spec":{"containers":[{"name":"web","image":"web:2"}]}}""")!.AsObject());

        result["spec"]!["containers"]!.AsArray().Count.ShouldBe(2);
        result["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("web:2");
        result["spec"]!["containers"]![0]!["env"]![0]!["value"]!.GetValue<string>().ShouldBe("1");
        result["spec"]!["containers"]![1]!["image"]!.GetValue<string>().ShouldBe("proxy:1");
    }

    [Fact]
    public void Strategic_merge_deletes_a_list_element_and_replaces_a_map_on_directive()
    {
        var result = StrategicMergePatch.Apply(Pod(), JsonNode.Parse("""
            {"metadata":{"labels":{"$patch":"replace","app":"db"}},"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}
            """)!.AsObject());

        result["metadata"]!["labels"]!.ToJsonString().ShouldBe("""{"app":"db"}""");
        result["spec"]!["containers"]!.AsArray().Single()!["name"]!.GetValue<string>().ShouldBe("web");
    }

    [Fact]
    public void Strategic_merge_null_removes_a_map_key()
    {
        var result = StrategicMergePatch.Apply(Pod(), JsonNode.Parse("""{"metadata":{"labels":{"tier":null}}}""")!.AsObject());

        result["metadata"]!["labels"]!.ToJsonString().ShouldBe("""{"app":"web"}""");
    }

    [Fact]
    public void Merge_patch_replaces_lists_whole()
    {
        var result = MergePatch.Apply(Pod(), JsonNode.Parse("""{"spec":{"containers":[{"name":"web","image":"web:2"}]}}"""))!;

        result["spec"]!["containers"]!.ToJsonString().ShouldBe("""[{"name":"web","image":"web:2"}]""");
    }

    [Fact]
    public void Json_patch_unescapes_paths_and_a_failed_test_fails_the_whole_patch()
    {
        JsonNode? target = JsonNode.Parse("""{"metadata":{"annotations":{"a/b":"1"}}}""");
        JsonPatch.TryApply(JsonNode.Parse("""[{"op":"replace","path":"/metadata/annotations/a~1b","value":"2"}]""")!.AsArray(), ref target).ShouldBeTrue();
        target!["metadata"]!["annotations"]!["a/b"]!.GetValue<string>().ShouldBe("2");

        JsonPatch.TryApply(JsonNode.Parse("""[{"op":"test","path":"/metadata/annotations/a~1b","value":"1"}]""")!.AsArray(), ref target).ShouldBeFalse();
        JsonPatch.TryApply(JsonNode.Parse("""[{"op":"replace","path":"/metadata/labels","value":{}}]""")!.AsArray(), ref target).ShouldBeFalse();
    }

    [Fact]
    public void Label_selector_string_is_sorted_by_key_like_the_go_formatter()
    {
        var selector = JsonNode.Parse("""{"matchLabels":{"tier":"front","app":"web"},"matchExpressions":[{"key":"env","operator":"In","values":["prod","canary"]}]}""")!.AsObject();

        LabelSelector.Format(selector).ShouldBe("app=web,env in (canary,prod),tier=front");
        LabelSelector.Parse("app=web,env in (canary,prod)").Matches(JsonNode.Parse("""{"app":"web","env":"prod"}""")!.AsObject()).ShouldBeTrue();
        LabelSelector.Parse("app=web,!env").Matches(JsonNode.Parse("""{"app":"web","env":"prod"}""")!.AsObject()).ShouldBeFalse();
    }
}
