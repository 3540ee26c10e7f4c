using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Kubernetes;

namespace Watchdog.Tests.Kubernetes;

public sealed class DeploymentHistoryTests
{
    [Fact]
    public void LabelSelector_RendersLikeApimachinery_SortedByKey()
    {
        var selector = new LabelSelector
        {
            MatchLabels = new() { ["tier"] = "web", ["app"] = "shop" },
            MatchExpressions =
            [
                new() { Key = "env", Operator = "In", Values = ["prod", "canary"] },
                new() { Key = "zone", Operator = "NotIn", Values = ["b", "a"] },
                new() { Key = "beta", Operator = "Exists" },
                new() { Key = "legacy", Operator = "DoesNotExist" },
            ],
        };

        selector.ToQuery().ShouldBe("app=shop,beta,env in (canary,prod),!legacy,tier=web,zone notin (a,b)");
    }

    [Fact]
    public void Templates_DifferingOnlyInThePodTemplateHash_OrInZeroValues_AreEqual()
    {
        var withHash = FakeKubernetesApi.Template("web", "web:v1", hash: "abc");
        var plain = FakeKubernetesApi.Template("web", "web:v1", hash: null);
        plain["spec"]!["nodeSelector"] = new JsonObject();
        plain["spec"]!["hostNetwork"] = false;

        PodTemplateEquality.EqualIgnoringHash(withHash, plain).ShouldBeTrue();
        PodTemplateEquality.EqualIgnoringHash(withHash, FakeKubernetesApi.Template("web", "web:v2", hash: "abc")).ShouldBeFalse();
    }

    [Fact]
    public void Revision_MissingAnnotationIsZero_AndAnUnparsableOneIsSkipped()
    {
        var missing = new ReplicaSet();
        var garbage = new ReplicaSet { Metadata = new ObjectMeta { Annotations = new() { [DeploymentHistory.RevisionAnnotation] = "x" } } };

        DeploymentHistory.Revision(missing).ShouldBe(0);
        DeploymentHistory.Revision(garbage).ShouldBeNull();
    }

    [Fact]
    public void Find_Previous_IsTheSecondHighestRevision_WhateverTheListOrder()
    {
        var sets = new[] { Set("c", 3), Set("a", 5), Set("b", 4) };

        var (found, revision, error) = DeploymentHistory.Find("web", sets, 0);

        (found!.Metadata.Name, revision, error).ShouldBe(("b", 4L, (string?)null));
    }

    [Fact]
    public void AddKubernetesActions_RegistersTheWorkloadActions_WithoutReadingAKubeconfigAtStartUp()
    {
        using var provider = new ServiceCollection()
            .AddKubernetes(new WatchdogOptions(), new KubernetesOptions { Kubeconfig = "/nonexistent/kubeconfig" })
            .AddKubernetesActions()
            .BuildServiceProvider();

        provider.GetServices<IRollbackAction>().Select(a => a.Name).ShouldBe(["deployment-undo", "scale", "stop-writes", "restore-replicas", "rollout-wait", "configmap-patch", "rollout-restart", "service-selector-switch", "virtualservice-weights", "statefulset-undo", "daemonset-undo"]);
        Should.Throw<KubernetesConfigException>(() => provider.GetRequiredService<KubernetesConnection>().Client)
            .Message.ShouldContain("/nonexistent/kubeconfig");
    }

    private static ReplicaSet Set(string name, int revision) => new()
    {
        Metadata = new ObjectMeta { Name = name, Annotations = new() { [DeploymentHistory.RevisionAnnotation] = $"{revision}" } },
    };
}
