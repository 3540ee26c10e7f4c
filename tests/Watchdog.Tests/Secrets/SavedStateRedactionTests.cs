using System.Text.Json.Nodes;
using Watchdog.Secrets;

namespace Watchdog.Tests.Secrets;

public sealed class SavedStateRedactionTests
{
    [Fact]
    public void Apply_Deployment_DropsEveryEnvValue_KeepsNamesAndValueFrom()
    {
        const string deployment = """
            {"kind":"Deployment","spec":{"template":{"spec":{
              "initContainers":[{"name":"migrate","env":[{"name":"MIGRATE_PASSWORD","value":"init-secret"}]}],
              "containers":[
                {"name":"web","image":"web:2","env":[{"name":"DB_PASSWORD","value":"db-secret"},{"name":"API_KEY","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]},
                {"name":"sidecar","image":"proxy:1"}],
              "ephemeralContainers":[{"name":"debug","env":[{"name":"X","value":"debug-secret"}]}]}}}}
            """;

        var saved = SavedStateRedaction.Apply(deployment);

        saved.ShouldNotContain("secret\"", Case.Sensitive);
        var spec = JsonNode.Parse(saved)!["spec"]!["template"]!["spec"]!;
        var env = spec["containers"]![0]!["env"]!.AsArray();
        env[0]!.ToJsonString().ShouldBe("""{"name":"DB_PASSWORD"}""");
        env[1]!["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>().ShouldBe("k");
        spec["initContainers"]![0]!["env"]![0]!.ToJsonString().ShouldBe("""{"name":"MIGRATE_PASSWORD"}""");
        spec["ephemeralContainers"]![0]!["env"]![0]!.ToJsonString().ShouldBe("""{"name":"X"}""");
        spec["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("web:2", "everything else is kept");
    }

    [Fact]
    public void Apply_PodSpecNestedDeeper_AsInAControllerRevision_IsFoundToo()
    {
        var saved = SavedStateRedaction.Apply("""{"kind":"ControllerRevision","data":{"spec":{"template":{"spec":{"containers":[{"name":"db","env":[{"name":"P","value":"rev-secret"}]}]}}}}}""");

        saved.ShouldNotContain("rev-secret");
        saved.ShouldContain("\"name\":\"P\"");
    }

    [Fact]
    public void Apply_ObjectWithoutContainers_IsKeptAsItIs() =>
        JsonNode.DeepEquals(JsonNode.Parse(SavedStateRedaction.Apply("""{"kind":"ConfigMap","data":{"value":"x"}}""")), JsonNode.Parse("""{"kind":"ConfigMap","data":{"value":"x"}}""")).ShouldBeTrue();

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Apply_NoJsonObject_IsNotKept(string text) =>
        SavedStateRedaction.Apply(text).ShouldBe(SavedStateRedaction.Unreadable);
}
