using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Watchdog.Kubernetes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Kubernetes;

public sealed class ControllerRevisionHistoryTests
{
    private static readonly string Calico = File.ReadAllText(RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures", "controllerrevisionlist-daemonset-calico.json"));

    [Fact]
    public void Find_Previous_IsTheSecondHighestRevision_WhateverTheListOrder()
    {
        var (found, error) = ControllerRevisionHistory.Find([Revision("c", 3), Revision("a", 5), Revision("b", 4)], 0);

        (found?.Metadata.Name, error).ShouldBe(("b", (string?)null));
    }

    [Fact]
    public void Find_Previous_WithOneRevisionOrNone_HasNoLastRevision()
    {
        ControllerRevisionHistory.Find([Revision("a", 1)], 0).Error.ShouldBe("no last revision to roll back to");
        ControllerRevisionHistory.Find([], 0).Error.ShouldBe("no last revision to roll back to");
    }

    [Fact]
    public void Find_ToRevision_TakesTheRevisionWithThatNumber_ByTheRevisionField()
    {
        ControllerRevisionHistory.Find([Revision("a", 1), Revision("b", 2), Revision("c", 3)], 1).Found!.Metadata.Name.ShouldBe("a");
    }

    [Theory]
    [InlineData(9)]
    [InlineData(-1)]
    public void Find_AMissingOrNegativeRevision_IsKubectlsError(long toRevision)
    {
        var (found, error) = ControllerRevisionHistory.Find([Revision("a", 1), Revision("b", 2)], toRevision);

        found.ShouldBeNull();
        error.ShouldBe($"unable to find specified revision {toRevision} in history");
    }

    [Fact]
    public void Owned_KeepsOnlyRevisionsWhoseControllerIsTheOwnersUid()
    {
        var owner = new StatefulSet { Metadata = new ObjectMeta { Uid = "uid-db" } };
        var mine = Revision("mine", 1, new OwnerReference { Uid = "uid-db", Controller = true });
        var notController = Revision("not-controller", 2, new OwnerReference { Uid = "uid-db", Controller = false });
        var other = Revision("other", 3, new OwnerReference { Uid = "uid-other", Controller = true });

        ControllerRevisionHistory.Owned(owner, [mine, notController, other, Revision("orphan", 4)]).Select(r => r.Metadata.Name).ShouldBe(["mine"]);
    }

    [Fact]
    public void TemplatePatch_OfTheCalicoTemplateAsTheServerOrdersIt_IsTheRevisionsDataAsGoWroteIt()
    {
        var data = JsonNode.Parse(Calico)!["items"]![0]!["data"]!;
        var live = Reversed(data["spec"]!["template"]!)!.AsObject();
        live.Remove("$patch");

        var patch = ControllerRevisionHistory.TemplatePatch(live);

        // The fixture keeps Go's (sorted) member order but was re-indented: without the whitespace it is Go's bytes.
        using var fixture = JsonDocument.Parse(Calico);
        patch.ShouldBe(WithoutWhitespace(fixture.RootElement.GetProperty("items")[0].GetProperty("data").GetRawText()));
        patch.Length.ShouldBe(5838);
    }

    [Fact]
    public void TemplatePatch_AddsTheNullCreationTimestamp_OfGosTypedStruct()
    {
        var template = JsonNode.Parse("""{"spec":{"containers":[{"name":"db","image":"postgres:15"}]},"metadata":{"labels":{"app":"db"}}}""")!.AsObject();

        ControllerRevisionHistory.TemplatePatch(template).ShouldBe(
            """{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"db"}},"spec":{"containers":[{"image":"postgres:15","name":"db"}]}}}}""");
    }

    [Fact]
    public void Matches_ComparesBytes_SoAReindentedRevisionDoesNotMatch_AsForKubectl()
    {
        var fixture = JsonSerializer.Deserialize(Calico, KubernetesJsonContext.Default.KubernetesListControllerRevision)!.Items.Single();
        var template = JsonNode.Parse(fixture.Data!.Value.GetRawText())!["spec"]!["template"]!.AsObject();
        template.Remove("$patch");
        var compact = new ControllerRevision { Data = JsonDocument.Parse(ControllerRevisionHistory.TemplatePatch(template)).RootElement };

        ControllerRevisionHistory.Matches(template, fixture).ShouldBeFalse();
        ControllerRevisionHistory.HoldsTemplateOf(template, fixture).ShouldBeTrue();
        ControllerRevisionHistory.Matches(template, compact).ShouldBeTrue();
    }

    [Fact]
    public void RestorePatch_IsTheDataVerbatim_AfterAResourceVersionPrecondition()
    {
        var data = JsonDocument.Parse("""{"spec": {"template": {"$patch": "replace"}}}""").RootElement;

        ControllerRevisionHistory.RestorePatch(data, "1234").ShouldBe("""{"metadata":{"resourceVersion":"1234"},"spec": {"template": {"$patch": "replace"}}}""");
        ControllerRevisionHistory.RestorePatch(data, null).ShouldBe("""{"spec": {"template": {"$patch": "replace"}}}""");
        ControllerRevisionHistory.RestorePatch(JsonDocument.Parse("{ }").RootElement, "7").ShouldBe("""{"metadata":{"resourceVersion":"7"}}""");
        ControllerRevisionHistory.RestorePatch(JsonDocument.Parse("""{"metadata":{},"spec":{}}""").RootElement, "7").ShouldBe("""{"metadata":{},"spec":{}}""");
    }

    private static ControllerRevision Revision(string name, long revision, OwnerReference? owner = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, OwnerReferences = owner is null ? null : [owner] },
        Revision = revision,
    };

    /// <summary>Every object's members in reverse order: a template as the server writes it is not sorted.</summary>
    private static JsonNode? Reversed(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Reverse().Select(p => KeyValuePair.Create(p.Key, Reversed(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Reversed).ToArray()),
        _ => node?.DeepClone(),
    };

    private static string WithoutWhitespace(string json)
    {
        var text = new StringBuilder();
        var (inString, escaped) = (false, false);
        foreach (var c in json)
        {
            if (inString)
            {
                (escaped, inString) = (!escaped && c == '\\', escaped || c != '"');
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                continue;
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
