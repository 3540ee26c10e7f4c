using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Watchdog.Kubernetes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Kubernetes.Models;

/// <summary>Every real response and shape in Fixtures/ (copied from ../shared/fixtures/kubernetes) parses into the models.</summary>
public sealed class KubernetesFixtureTests
{
    private static readonly string Folder = RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures");

    /// <summary>Each JSON fixture and the model it must round-trip through.</summary>
    private static readonly Dictionary<string, JsonTypeInfo> Models = new(StringComparer.Ordinal)
    {
        ["controllerrevisionlist-daemonset-calico.json"] = KubernetesJsonContext.Default.KubernetesListControllerRevision,
        ["deployment-get.json"] = KubernetesJsonContext.Default.Deployment,
        ["deploymentlist-1.28-progress-deadline-exceeded.json"] = KubernetesJsonContext.Default.KubernetesListDeployment,
        ["eventlist-core-v1-1.28.json"] = KubernetesJsonContext.Default.KubernetesListKubernetesEvent,
        ["lease-apiserver-identity.json"] = KubernetesJsonContext.Default.GenericObject,
        ["replicasetlist-1.28-kube-system.json"] = KubernetesJsonContext.Default.KubernetesListReplicaSet,
        ["servicelist-1.28-kube-dns.json"] = KubernetesJsonContext.Default.KubernetesListService,
        ["shape-apps.v1.ControllerRevision.json"] = KubernetesJsonContext.Default.ControllerRevision,
        ["shape-autoscaling.v1.Scale.json"] = KubernetesJsonContext.Default.Scale,
        ["shape-coordination.k8s.io.v1.Lease.json"] = KubernetesJsonContext.Default.GenericObject,
        ["shape-core.v1.Event.json"] = KubernetesJsonContext.Default.KubernetesEvent,
        ["shape-events.k8s.io.v1.Event.json"] = KubernetesJsonContext.Default.GenericObject,
        ["status-404-notfound.json"] = KubernetesJsonContext.Default.KubernetesStatus,
        ["status-409-conflict.json"] = KubernetesJsonContext.Default.KubernetesStatus,
        ["status-422-invalid.json"] = KubernetesJsonContext.Default.KubernetesStatus,
        ["virtualservice-reviews-80-20.json"] = KubernetesJsonContext.Default.GenericObject,
    };

    /// <summary>Request logs, not objects: read as JSON and checked for what the tests rely on.</summary>
    private static readonly string[] RequestLogs = ["observed-kubectl-patch-requests.json", "observed-kubectl-request-log.json"];

    /// <summary>An exec plugin's input and output: the official client reads them (ResolveConfigTests runs the response through it).</summary>
    private static readonly string[] ExecPluginIo = ["execcredential-v1-request.json", "execcredential-v1-response.json"];

    public static TheoryData<string> JsonFixtures() => [.. Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void EveryJsonFixture_HasAModelOrIsARequestLog()
    {
        var files = Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileName(f)).ToList();
        files.Count.ShouldBe(20);
        files.Where(f => !Models.ContainsKey(f) && !RequestLogs.Contains(f) && !ExecPluginIo.Contains(f)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(JsonFixtures))]
    public void Fixture_ParsesAndRoundTrips_KeepingFieldsTheModelsDoNotName(string file)
    {
        var text = File.ReadAllText(Path.Combine(Folder, file));
        if (RequestLogs.Contains(file))
        {
            JsonNode.Parse(text)!.AsArray().ShouldAllBe(r => r!["method"] != null && r["path"] != null);
            return;
        }

        if (ExecPluginIo.Contains(file))
        {
            JsonNode.Parse(text)!["kind"]!.GetValue<string>().ShouldBe("ExecCredential");
            return;
        }

        var model = JsonSerializer.Deserialize(text, Models[file]);
        model.ShouldNotBeNull();
        var written = JsonSerializer.Serialize(model, Models[file]);

        JsonNode.DeepEquals(WithoutNulls(JsonNode.Parse(text)), WithoutNulls(JsonNode.Parse(written))).ShouldBeTrue(written);
    }

    [Fact]
    public void DeploymentFixture_FillsTheTypedFields()
    {
        var deployment = Read(KubernetesJsonContext.Default.Deployment, "deployment-get.json");

        deployment.Metadata.Name.ShouldBe("nginx");
        deployment.Metadata.Uid.ShouldBe("a598ee47-9635-482b-bacb-16c9e3ade05c");
        deployment.Metadata.ResourceVersion.ShouldBe("121107");
        deployment.Metadata.Generation.ShouldBe(5);
        deployment.Metadata.CreationTimestamp.ShouldBe(new DateTimeOffset(2021, 6, 23, 17, 1, 10, TimeSpan.Zero));
        DeploymentHistory.Revision(deployment).ShouldBe(1);
        deployment.Spec.Replicas.ShouldBe(3);
        deployment.Spec.Selector!.ToQuery().ShouldBe("app=nginx");
        deployment.Spec.Template!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("gcr.io/kakaraparthy-devel/nginx:latest");
        deployment.Spec.Unmodelled!["strategy"].GetProperty("rollingUpdate").GetProperty("maxSurge").GetString().ShouldBe("25%");
    }

    [Fact]
    public void ReplicaSetListFixture_GivesOwnersAndRevisions()
    {
        var list = Read(KubernetesJsonContext.Default.KubernetesListReplicaSet, "replicasetlist-1.28-kube-system.json");

        list.Kind.ShouldBe("ReplicaSetList");
        list.Metadata.ResourceVersion.ShouldBe("22127");
        var rs = list.Items.ShouldHaveSingleItem();
        rs.Metadata.OwnerReferences!.Single().Controller.ShouldBe(true);
        DeploymentHistory.Revision(rs).ShouldBe(1);
        rs.Spec.Template!["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>().ShouldBe("5dd5756b68");
    }

    [Fact]
    public void ControllerRevisionAndScaleShapes_FillRevisionDataAndReplicas()
    {
        var revision = Read(KubernetesJsonContext.Default.ControllerRevision, "shape-apps.v1.ControllerRevision.json");
        revision.Revision.ShouldBe(3);
        revision.Data!.Value.GetProperty("spec").GetProperty("replicas").GetInt32().ShouldBe(1);

        var scale = Read(KubernetesJsonContext.Default.Scale, "shape-autoscaling.v1.Scale.json");
        scale.Spec.Replicas.ShouldBe(1);
        scale.Status!["selector"]!.GetValue<string>().ShouldBe("selectorValue");
    }

    [Fact]
    public void EventListAndServiceList_FillTheTypedFields()
    {
        var events = Read(KubernetesJsonContext.Default.KubernetesListKubernetesEvent, "eventlist-core-v1-1.28.json");
        var first = events.Items[0];
        first.Reason.ShouldBe("FailedScheduling");
        first.InvolvedObject.Kind.ShouldBe("Pod");
        first.Count.ShouldBe(23);
        first.LastTimestamp.ShouldBe(new DateTimeOffset(2024, 10, 25, 17, 56, 23, TimeSpan.Zero));

        var services = Read(KubernetesJsonContext.Default.KubernetesListService, "servicelist-1.28-kube-dns.json");
        services.Items[0].Spec.Selector!["k8s-app"].ShouldBe("kube-dns");
    }

    [Theory]
    [InlineData("status-404-notfound.json", 404, "NotFound", "services \"missing\" not found")]
    [InlineData("status-409-conflict.json", 409, "Conflict", "Operation cannot be fulfilled on resourcequotas \"quota\": the object has been modified; please apply your changes to the latest version and try again")]
    [InlineData("status-422-invalid.json", 422, "Invalid", "Service \"svc1\" is invalid: [spec.clusterIP: Invalid value: \"10.0.0.146.1\": field is immutable, spec.clusterIP: Invalid value: \"10.0.0.146.1\": must be empty, 'None', or a valid IP address]")]
    public void StatusFixture_BecomesTheTypedError(string file, int code, string reason, string message)
    {
        var status = KubernetesStatusBody.Parse(code, File.ReadAllText(Path.Combine(Folder, file)));
        var error = new KubernetesStatusException(status);

        error.Code.ShouldBe(code);
        error.Reason.ShouldBe(reason);
        error.Message.ShouldBe(message);
        error.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public void PatchRequestLog_RecordsKubectlsContentTypesForUndoAndScale()
    {
        var log = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "observed-kubectl-patch-requests.json")))!.AsArray();

        log.Select(r => r!["contentType"]!.GetValue<string>()).Take(2).ShouldBe(["application/json-patch+json", "application/merge-patch+json"]);
    }

    private static T Read<T>(JsonTypeInfo<T> type, string file) => JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Folder, file)), type)!;

    /// <summary>Go omits nulls as the models do; a <c>null</c> the server wrote and an absent field mean the same.</summary>
    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (value is not null)
                    {
                        copy[key] = WithoutNulls(value);
                    }
                }

                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(WithoutNulls)]);
            default:
                return node?.DeepClone();
        }
    }
}
