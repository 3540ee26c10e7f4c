using System.Text.Json;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A rollback meets a Kubernetes API that refuses, conflicts, breaks or is not Kubernetes at all. Each time the run
/// fails with the reason on the incident's timeline and in the on-call message (ROLLBACK ISSUES DETECTED), and the
/// deployment is left as it was: no half-applied undo, and no PATCH reached the API server unless it was refused there.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class KubernetesFaultTests(KubernetesFaultsDaemon daemon, ITestOutputHelper output) : IClassFixture<KubernetesFaultsDaemon>
{
    private ProxiedCluster Cluster => daemon.Cluster;

    [Fact]
    public async Task KubernetesAnswers404ToTheDeployment_RunFailsSayingItIsNotFound_NothingIsPatched()
    {
        await AssertFailedAsync("k404", "deployment faults/k404 not found");
        Cluster.PatchesReceived("k404").ShouldBe(0);
    }

    [Fact]
    public async Task KubernetesForbidsReadingTheDeployment_RunFailsWithTheApiServersWords_NothingIsPatched()
    {
        await AssertFailedAsync("k403", "is forbidden: User \"system:serviceaccount:ops:watchdog\" cannot get resource \"deployments\"");
        Cluster.PatchesReceived("k403").ShouldBe(0);
    }

    [Fact]
    public async Task KubernetesAnswers409ToEveryPatch_RunFailsAsAConflict_DeploymentUnchanged()
    {
        await AssertFailedAsync("k409", "conflict: the deployment changed, not rolled back");
        Cluster.PatchesReceived("k409").ShouldBe(0);
        Cluster.Proxy.RequestsTo("PATCH", ProxiedCluster.DeploymentPath("k409")).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task AnotherWriterChangesTheDeploymentJustBeforeThePatch_RunFailsAsAConflict_TheOtherWritersChangeStands()
    {
        await AssertFailedAsync("overwritten", "conflict: the deployment changed, not rolled back", expectedImage: KubernetesFaultsDaemon.OtherWritersImage);

        // The PATCH reached the API server, which refused it on its resourceVersion precondition.
        var patches = Cluster.Proxy.RequestsTo("PATCH", ProxiedCluster.DeploymentPath("overwritten"), forwardedOnly: true);
        patches.ShouldNotBeEmpty();
        patches.ShouldAllBe(p => p.Status == 409);
    }

    [Fact]
    public async Task KubernetesAnswers422ToThePatch_RunFailsWithTheApiServersWords_DeploymentUnchanged()
    {
        await AssertFailedAsync("k422", "is invalid: spec.template.spec.containers[0].image: Required value");
        Cluster.PatchesReceived("k422").ShouldBe(0);
        Cluster.Proxy.RequestsTo("PATCH", ProxiedCluster.DeploymentPath("k422")).Count.ShouldBe(1, "a 422 is not retried");
    }

    [Fact]
    public async Task KubernetesAnswers500ToEveryPatch_RunFailsAfterItsRetries_DeploymentUnchanged()
    {
        await AssertFailedAsync("k500", "etcdserver: request timed out");
        Cluster.PatchesReceived("k500").ShouldBe(0);
        Cluster.Proxy.RequestsTo("PATCH", ProxiedCluster.DeploymentPath("k500")).Count.ShouldBeGreaterThan(1, "a 500 is retried");
    }

    [Fact]
    public async Task KubernetesApiAnswersAnHtmlPage_RunFailsAsUnreachable_NothingIsPatched()
    {
        await AssertFailedAsync("khtml", "Kubernetes API unreachable: the server's answer is not a Deployment");
        Cluster.PatchesReceived("khtml").ShouldBe(0);
    }

    [Fact]
    public async Task KubernetesApiResetsTheConnectionOnEveryPatch_RunFailsAsUnreachableAfterItsRetries_DeploymentUnchanged()
    {
        await AssertFailedAsync("kreset", "Kubernetes API unreachable");
        Cluster.PatchesReceived("kreset").ShouldBe(0);
        Cluster.Proxy.RequestsTo("PATCH", ProxiedCluster.DeploymentPath("kreset")).Count.ShouldBeGreaterThan(1, "a connection error is retried");
    }

    [Fact]
    public async Task KubernetesAnswerOverItsLimit_FailsTheStepClearly()
    {
        await AssertFailedAsync("kbig", $"Kubernetes API unreachable: GET {daemon.Cluster.Proxy.Url.ToString().TrimEnd('/')}{ProxiedCluster.DeploymentPath("kbig")}: answer larger than 16 MiB");
        Cluster.PatchesReceived("kbig").ShouldBe(0);
    }

    private async Task AssertFailedAsync(string target, string reason, string? expectedImage = null)
    {
        var api = daemon.Api;
        var run = await api.RunOfAsync(target, "failed", "succeeded", "interrupted");
        output.WriteLine(run.ToString());
        run.GetProperty("status").GetString().ShouldBe("failed", run.ToString());
        run.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain(reason, Case.Sensitive, run.ToString());
        var step = run.GetProperty("steps")[0];
        step.GetProperty("status").GetString().ShouldBe("failed");
        step.GetProperty("error").GetString().ShouldNotBeNull().ShouldContain(reason, Case.Sensitive);

        var report = (await api.ReportOfAsync(target))!.Value;
        DaemonApi.Timeline(report, "step-failed").ShouldHaveSingleItem().ShouldContain(reason, Case.Sensitive);
        DaemonApi.ExecutedRuns(report).Count().ShouldBe(1, "no second undo while the first one's failure is on the incident");
        Cluster.ImageOf(target).ShouldBe(expectedImage ?? $"{target}:{ProxiedCluster.BadImageTag}");

        var incidentId = report.GetProperty("incident").GetProperty("id").GetInt64();
        await api.UntilAsync(
            () => Task.FromResult(daemon.Receiver.RequestsTo("notify").Any(n => IsIssuesDetected(n.Body, incidentId, reason))),
            $"ROLLBACK ISSUES DETECTED for incident {incidentId} naming '{reason}' was sent");
    }

    private static bool IsIssuesDetected(string body, long incidentId, string reason)
    {
        using var message = JsonDocument.Parse(body);
        var root = message.RootElement;
        return root.GetProperty("title").GetString() == "ROLLBACK ISSUES DETECTED"
            && root.GetProperty("incident_id").GetInt64() == incidentId
            && root.GetProperty("fields").GetProperty("Issues").GetString()!.Contains(reason, StringComparison.Ordinal);
    }
}
