using System.Text.Json;
using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Hosting;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Plugins;
using Watchdog.Records;
using Watchdog.Tests.Actions;
using Watchdog.Tests.Kubernetes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Actions.Kubernetes;

public sealed class DeploymentUndoActionTests : IAsyncLifetime
{
    private readonly ExecutorScenario _s = new();
    private FakeKubernetesApi _api = null!;
    private RecordingJournal _journal = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.SeedDeployment("web", current: 3, revisions: 3);
        _journal = new RecordingJournal(() => _api.Requests.Count);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private IEnumerable<FakeApiRequest> Patches => _api.Requests.Where(r => r.Method == "PATCH");

    private JsonObject Current => _api.Deployments["web"];

    private static string ImageOf(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private async Task<ActionResult> RunAsync(Dictionary<string, string> parameters, Uri? server = null)
    {
        var incident = await _s.OpenIncidentAsync();
        var run = new ActionRun { Id = 7, IncidentId = incident.Id, Target = "checkout", Action = Watchdog.Rules.DecisionAction.Rollback, Authority = Watchdog.Rules.Authority.Automatic, Rule = "error-rate-critical", CreatedAt = ExecutorScenario.T0 };
        var context = new ActionContext(_s.Target, incident, run, new ActionStep(7, 1, DeploymentUndoAction.PluginName, parameters), _journal, _s.Time);
        using var client = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = (server ?? _api.BaseUrl).AbsoluteUri }, TimeProvider.System, new KubernetesRetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(5) });
        using var connection = new KubernetesConnection(client);
        return await new DeploymentUndoAction(connection).ExecuteAsync(context, CancellationToken.None);
    }

    [Fact]
    public async Task Previous_RollsBackToTheSecondHighestRevision_AndReportsBothRevisions()
    {
        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("rolled back deployment/default/web from revision 3 to revision 2");
        result.Before.ShouldBe("web:v3 (revision 3)");
        result.After.ShouldBe("web:v2 (revision 4, was 2)"); // the controller renumbers the restored template max + 1
        result.RolledBackFrom.ShouldBe(new RevisionRef("deployment/default/web", "3aaa"));
        ImageOf(Current).ShouldBe("web:v2");
        JsonNode.Parse(result.Detail!)!["patched"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Previous_SendsKubectlsRequests_GetListPatch_WithTheSelectorOfTheDeployment_AndAConfirmingGetBeforeThePatch()
    {
        await RunAsync(new() { ["deployment"] = "web" });

        _api.Requests.Where(r => r.Path != "/api/v1/namespaces/default/events").Select(r => $"{r.Method} {r.Path}{r.Query}").ShouldBe(
        [
            "GET /apis/apps/v1/namespaces/default/deployments/web",
            "GET /apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dweb",
            "GET /apis/apps/v1/namespaces/default/deployments/web", // unchanged since the first: the history listed is its own
            "PATCH /apis/apps/v1/namespaces/default/deployments/web",
        ]);
        Patches.Single().ContentType.ShouldStartWith("application/json-patch+json");
    }

    [Fact]
    public async Task Previous_SendsKubectlsPatchOperationsByteForByte_ThenTheResourceVersionPrecondition()
    {
        // The state kubectl 1.20 rolled back when the fixture was recorded: web at revision 2, revision 1 = web:v1.
        _api.Deployments.Clear();
        _api.ReplicaSets.Clear();
        _api.SeedDeployment("web", current: 2, revisions: 2);
        _api.Deployments["web"]["metadata"]!["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = "2" };
        var resourceVersion = Current["metadata"]!["resourceVersion"]!.GetValue<string>();
        var kubectl = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures", "observed-kubectl-patch-requests.json")))![0]!["body"]!.AsArray();

        (await RunAsync(new() { ["deployment"] = "web" })).Succeeded.ShouldBeTrue();

        var sent = JsonNode.Parse(Patches.Single().Body)!.AsArray();
        sent.Count.ShouldBe(3);
        sent[0]!.ToJsonString().ShouldBe(kubectl[0]!.ToJsonString());
        sent[1]!.ToJsonString().ShouldBe(kubectl[1]!.ToJsonString());
        sent[2]!.ToJsonString().ShouldBe($$"""{"op":"replace","path":"/metadata/resourceVersion","value":"{{resourceVersion}}"}""");
    }

    [Fact]
    public async Task Patch_KeepsSkippedDeploymentAnnotations_TakesTheReplicaSetsOthers_AndDropsTheRest()
    {
        await RunAsync(new() { ["deployment"] = "web" });

        var annotations = JsonNode.Parse(Patches.Single().Body)![1]!["value"]!.AsObject();
        // revision from the deployment (skip list); "team" (only on the deployment) dropped, as kubectl does.
        annotations.ToJsonString().ShouldBe("""{"deployment.kubernetes.io/revision":"3"}""");
    }

    [Fact]
    public async Task ToRevision1_RestoresRevision1sTemplate_WithoutThePodTemplateHashLabel()
    {
        var result = await RunAsync(new() { ["deployment"] = "web", ["to_revision"] = "1" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.After.ShouldBe("web:v1 (revision 4, was 1)");
        ImageOf(Current).ShouldBe("web:v1");
        Current["spec"]!["template"]!["metadata"]!["labels"]!.ToJsonString().ShouldBe("""{"app":"web"}""");
    }

    [Fact]
    public async Task ToRevisionNotInHistory_FailsWithKubectlsWording_AndSendsNoPatch()
    {
        var result = await RunAsync(new() { ["deployment"] = "web", ["to_revision"] = "7" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("unable to find specified revision 7 in history");
        Patches.ShouldBeEmpty();
    }

    [Fact]
    public async Task ARevisionOwnedByAnotherDeployment_IsNotHistory()
    {
        var result = await RunAsync(new() { ["deployment"] = "web", ["to_revision"] = "99" });

        result.Summary.ShouldBe("unable to find specified revision 99 in history");
    }

    [Fact]
    public async Task OnlyOneRevision_FailsWithNoRolloutHistory()
    {
        _api.ReplicaSets.RemoveAll(rs => rs["metadata"]!["name"]!.GetValue<string>() is "web-1aaa" or "web-2aaa");

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Summary.ShouldBe("no rollout history found for deployment \"web\"");
        Patches.ShouldBeEmpty();
    }

    [Fact]
    public async Task PausedDeployment_FailsLikeKubectl_SendsNoPatch_AndPostsAWarningEvent()
    {
        Current["spec"]!["paused"] = true;

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        Patches.ShouldBeEmpty();
        var warning = _api.Events.ShouldHaveSingleItem();
        warning["type"]!.GetValue<string>().ShouldBe("Warning");
        warning["reason"]!.GetValue<string>().ShouldBe("WatchdogRollback");
        warning["message"]!.GetValue<string>().ShouldContain("paused");
    }

    [Fact]
    public async Task PausedDeployment_AndAMissingRevision_ReportsTheMissingRevision_AsKubectlChecksItFirst()
    {
        Current["spec"]!["paused"] = true;

        var result = await RunAsync(new() { ["deployment"] = "web", ["to_revision"] = "8" });

        result.Summary.ShouldBe("unable to find specified revision 8 in history");
    }

    [Fact]
    public async Task TemplateAlreadyMatchesTheRevision_SucceedsAsSkipped_WithoutAPatch()
    {
        var result = await RunAsync(new() { ["deployment"] = "web", ["to_revision"] = "3" });

        result.Succeeded.ShouldBeTrue();
        result.Summary.ShouldBe("skipped rollback (current template already matches revision 3)");
        result.RolledBackFrom.ShouldBeNull();
        Patches.ShouldBeEmpty();
        _journal.Saved.ShouldBeEmpty();
    }

    [Fact]
    public async Task ConcurrentChangeBetweenReadAndPatch_FailsAsAConflict_AndLeavesTheDeploymentAsTheOtherWriterMadeIt()
    {
        _api.BeforePatch = deployment =>
        {
            deployment["metadata"]!["resourceVersion"] = "5000";
            deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "web:hotfix";
        };

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("conflict: the deployment changed, not rolled back");
        result.RolledBackFrom.ShouldBeNull();
        ImageOf(Current).ShouldBe("web:hotfix");
    }

    [Fact]
    public async Task AStatusWriteBetweenReadAndPatch_IsNotAConflict_ThePatchGoesAgainOnTheNewVersion()
    {
        // The controller writes status all through a rollout, which is exactly when a rollback is wanted.
        var writes = 0;
        _api.BeforePatch = deployment =>
        {
            if (writes++ < 2)
            {
                deployment["metadata"]!["resourceVersion"] = $"{5000 + writes}";
                deployment["status"]!["updatedReplicas"] = writes;
            }
        };

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        Patches.Count().ShouldBe(3);
        ImageOf(Current).ShouldBe("web:v2");
        _journal.Progress.Count(p => p == "deployment/default/web was written by its controller since it was read (status only); patching again").ShouldBe(2);
    }

    [Fact]
    public async Task AControllerThatNeverStopsWriting_EndsAsAConflictAfterThreeRetries()
    {
        var writes = 0;
        _api.BeforePatch = deployment => deployment["metadata"]!["resourceVersion"] = $"{6000 + writes++}";

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("conflict: the deployment changed, not rolled back");
        Patches.Count().ShouldBe(4);
        ImageOf(Current).ShouldBe("web:v3");
    }

    [Fact]
    public async Task APatchAppliedButAnsweredWithA503_IsRetried_ItsOwnConflictIsRecognisedAsDone_ButNotMarkedKnownBad()
    {
        _api.LoseNextPatchAnswer = true;

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        Patches.Count().ShouldBe(2);
        ImageOf(Current).ShouldBe("web:v2");
        // The retried PATCH's 409 looks the same whether the lost attempt or another writer made the change: only a
        // revision Watchdog is known to have rolled back from is marked.
        result.Summary.ShouldBe("deployment/default/web found on revision 2's template after a conflict (put there by Watchdog's own earlier attempt whose answer was lost, or by another writer); revision 3 not marked known bad");
        result.RolledBackFrom.ShouldBeNull();
    }

    [Fact]
    public async Task AnAnswerThatIsNotADeployment_IsAClearFailure_AndNothingIsPatched()
    {
        // A proxy in front of the API server answering with its own page, say.
        _api.Scripted.Enqueue((200, "<html><body>Service temporarily unavailable</body></html>"));

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldStartWith("Kubernetes API unreachable: the server's answer is not a Deployment: ");
        Patches.ShouldBeEmpty();
    }

    [Fact]
    public async Task UnusableKubeconfig_FailsTheStepWithTheReason()
    {
        var incident = await _s.OpenIncidentAsync();
        var run = new ActionRun { Id = 7, IncidentId = incident.Id, Target = "checkout", Action = Watchdog.Rules.DecisionAction.Rollback, Authority = Watchdog.Rules.Authority.Automatic, Rule = "error-rate-critical", CreatedAt = ExecutorScenario.T0 };
        var context = new ActionContext(_s.Target, incident, run, new ActionStep(7, 1, DeploymentUndoAction.PluginName, new Dictionary<string, string> { ["deployment"] = "web" }), _journal, _s.Time);
        using var connection = new KubernetesConnection(() => throw new KubernetesConfigException(["kubeconfig /x: context \"prod\" does not exist"]));

        var result = await new DeploymentUndoAction(connection).ExecuteAsync(context, CancellationToken.None);

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("Kubernetes client configuration: kubeconfig /x: context \"prod\" does not exist");
    }

    [Fact]
    public async Task MissingDeployment_FailsAsNotFound()
    {
        var result = await RunAsync(new() { ["deployment"] = "nope", ["namespace"] = "default" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("deployment default/nope not found");
    }

    [Fact]
    public async Task InvalidAnswerToThePatch_FailsWithTheServersMessage()
    {
        // A normal GET and LIST, then the PATCH answered 422.
        _api.PatchAnswer = (422, FakeKubernetesApi.StatusBody(422, "Invalid", "Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value"));

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("failed restoring revision 2: Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value");
    }

    [Fact]
    public async Task RevisionRolledBackFromBefore_IsRefused_AndNothingIsPatched()
    {
        _journal.BadRevisions.Add(new RevisionRef("deployment/default/web", "2aaa")); // by pod template hash

        var result = await RunAsync(new() { ["deployment"] = "web", ["mode"] = "previous" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("refused: revision 2 of deployment/default/web was rolled back from before (known bad)");
        Patches.ShouldBeEmpty();
    }

    [Fact]
    public async Task Default_PassesOverAKnownBadPreviousRevision_ToTheNewestGoodOne()
    {
        _journal.BadRevisions.Add(new RevisionRef("deployment/default/web", "2aaa"));

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("rolled back deployment/default/web from revision 3 to revision 1");
        ImageOf(Current).ShouldBe("web:v1");
        _journal.Progress.ShouldContain("previous good of deployment/default/web: revision 1, skipping known-bad revision 2 (pod template 2aaa)");
    }

    [Fact]
    public async Task Default_WhenEveryOlderRevisionIsKnownBad_RefusesNamingThemAll_AndNothingIsPatched()
    {
        _journal.BadRevisions.Add(new RevisionRef("deployment/default/web", "2aaa"));
        _journal.BadRevisions.Add(new RevisionRef("deployment/default/web", "1aaa"));

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("refused: every revision of deployment/default/web older than the running revision 3 is known bad (skipped revisions 2 (pod template 2aaa), 1 (pod template 1aaa)); not rolling back");
        Patches.ShouldBeEmpty();
        ImageOf(Current).ShouldBe("web:v3");
    }

    [Fact]
    public async Task DeploymentAsReadIsSavedOnTheIncident_BeforeThePatchIsSent()
    {
        var before = Current.ToJsonString();

        await RunAsync(new() { ["deployment"] = "web" });

        var saved = _journal.Saved.ShouldHaveSingleItem();
        saved.What.ShouldBe("deployment/default/web");
        JsonNode.DeepEquals(JsonNode.Parse(saved.Json), JsonNode.Parse(before)).ShouldBeTrue();
        saved.RequestsBefore.ShouldBe(3); // the GET, the LIST and the confirming GET; the PATCH came after
        _api.Requests[3].Method.ShouldBe("PATCH");
    }

    [Fact]
    public async Task AnEventIsPostedOnTheDeployment_WithTheIncident()
    {
        await RunAsync(new() { ["deployment"] = "web" });

        var posted = _api.Events.ShouldHaveSingleItem();
        posted["reason"]!.GetValue<string>().ShouldBe("WatchdogRollback");
        posted["type"]!.GetValue<string>().ShouldBe("Normal");
        posted["involvedObject"]!["kind"]!.GetValue<string>().ShouldBe("Deployment");
        posted["involvedObject"]!["name"]!.GetValue<string>().ShouldBe("web");
        posted["involvedObject"]!["uid"]!.GetValue<string>().ShouldBe("uid-web");
        posted["metadata"]!["name"]!.GetValue<string>().ShouldStartWith("web.");
        posted["message"]!.GetValue<string>().ShouldContain("incident 1");
        posted["firstTimestamp"]!.GetValue<string>().ShouldBe("2026-03-01T12:00:00Z");
        posted["source"]!["component"]!.GetValue<string>().ShouldBe("watchdog");
    }

    [Fact]
    public async Task ARefusedEvent_DoesNotFailTheStep()
    {
        _api.EventStatus = 403;

        var result = await RunAsync(new() { ["deployment"] = "web" });

        result.Succeeded.ShouldBeTrue();
        JsonNode.Parse(result.Detail!)!["eventPosted"]!.GetValue<bool>().ShouldBeFalse();
        _journal.Progress.ShouldContain("event on deployment/default/web not posted");
    }

    [Fact]
    public async Task UnreachableApiServer_FailsWithTheError()
    {
        var result = await RunAsync(new() { ["deployment"] = "web" }, new Uri("http://127.0.0.1:1"));

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldStartWith("Kubernetes API unreachable: GET http://127.0.0.1:1/apis/apps/v1/namespaces/default/deployments/web:");
    }

    [Fact]
    public void Validate_AcceptsAPlainUndo_AndReportsEveryProblem()
    {
        DeploymentUndoAction.ValidateParameters(new Dictionary<string, string> { ["deployment"] = "web", ["namespace"] = "prod", ["to_revision"] = "4", ["mode"] = "previous" }).ShouldBeEmpty();
        DeploymentUndoAction.ValidateParameters(new Dictionary<string, string> { ["deployment"] = "web", ["mode"] = "last-known-good" }).ShouldBeEmpty();
        DeploymentUndoAction.ValidateParameters(new Dictionary<string, string> { ["to_revision"] = "-1", ["mode"] = "latest", ["replicas"] = "3" }).ShouldBe(
        [
            "deployment: required, the Deployment's name",
            "to_revision: '-1' is not a revision number (1 or more)",
            "mode: 'latest' is not previous-good, previous or last-known-good",
            "replicas: unknown parameter (deployment, namespace, to_revision, mode)",
        ]);
        DeploymentUndoAction.ValidateParameters(new Dictionary<string, string> { ["deployment"] = "web", ["to_revision"] = "2", ["mode"] = "last-known-good" })
            .ShouldBe(["to_revision: not with mode last-known-good, which chooses the revision itself"]);
        DeploymentUndoAction.ValidateParameters(new Dictionary<string, string> { ["deployment"] = "web", ["to_revision"] = "2", ["mode"] = "previous-good" })
            .ShouldBe(["to_revision: not with mode previous-good, which chooses the revision itself"]);
        DeploymentUndoAction.ValidateParameters(new Dictionary<string, string> { ["deployment"] = "web", ["mode"] = "previous-good" }).ShouldBeEmpty();
        WatchdogPlugins.Registry().Find(PluginKind.Action, "deployment-undo").ShouldNotBeNull();
        WatchdogPlugins.Registry().Announced(PluginKind.Action).ShouldNotContain("deployment-undo");
    }

    [Fact]
    public async Task LastKnownGood_GoesBackToTheRecordedTemplate_NotThePreviousRevision()
    {
        // Revision 2 never proved good; revision 1 did (found by its template hash, whatever its number is now).
        _journal.KnownGood.Add(KnownGood("1aaa", "1"));

        var result = await RunAsync(new() { ["deployment"] = "web", ["mode"] = "last-known-good" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("rolled back deployment/default/web from revision 3 to revision 1");
        ImageOf(Current).ShouldBe("web:v1");
        _journal.Progress.ShouldContain(p => p.StartsWith("last known good of deployment/default/web: revision 1 (pod template 1aaa, healthy from 2026-03-01 11:00:00Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LastKnownGood_SkipsRecordsWhoseReplicaSetIsGone()
    {
        _journal.KnownGood.Add(KnownGood("gone", "7"));
        _journal.KnownGood.Add(KnownGood("2aaa", "2"));

        var result = await RunAsync(new() { ["deployment"] = "web", ["mode"] = "last-known-good" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        ImageOf(Current).ShouldBe("web:v2");
    }

    [Theory]
    [InlineData(null, "no known-good revision of deployment/default/web is recorded yet (one is recorded once its target stays healthy for verify_window on a completed rollout)")]
    [InlineData("3aaa", "the running revision of deployment/default/web (pod template 3aaa) is its last known good, confirmed 2026-03-01 11:10:00Z: not rolling back")]
    [InlineData("gone", "the known-good revisions of deployment/default/web (pod templates gone) are no longer in its history (revisionHistoryLimit)")]
    public async Task LastKnownGood_WithoutAnOlderGoodTemplateInTheHistory_FailsAndChangesNothing(string? recordedHash, string expected)
    {
        // The running template is revision 3's; the fake's deployment template carries no hash label, so mark it as the controller would.
        Current["spec"]!["template"]!["metadata"]!["labels"]!["pod-template-hash"] = "3aaa";
        if (recordedHash is not null)
        {
            _journal.KnownGood.Add(KnownGood(recordedHash, "3"));
        }

        var result = await RunAsync(new() { ["deployment"] = "web", ["mode"] = "last-known-good" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe(expected);
        Patches.ShouldBeEmpty();
        ImageOf(Current).ShouldBe("web:v3");
    }

    private static KnownGoodRevision KnownGood(string hash, string revision) =>
        new("checkout", "deployment/default/web", revision, hash, ExecutorScenario.T0.AddHours(-1), ExecutorScenario.T0.AddMinutes(-50));
}
