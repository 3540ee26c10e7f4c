using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Hosting;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Plugins;
using Watchdog.Records;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;
using Watchdog.Tests.Actions;
using Watchdog.Tests.Kubernetes;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>
/// <c>statefulset-undo</c> and <c>daemonset-undo</c> against the simulator (StatefulSet db and DaemonSet node-agent,
/// each at revision 3 of 3), through a handler that records the requests and can fail some of them.
/// </summary>
public sealed class ControllerRevisionUndoActionTests : IAsyncLifetime, IDisposable
{
    private const string StatefulSetPath = "/apis/apps/v1/namespaces/default/statefulsets/db";
    private readonly ExecutorScenario _s = new();
    private readonly RecordingJournal _journal;
    private readonly HttpClient _http = new();
    private readonly InterceptingHandler _handler = new();
    private KubernetesSimulator _simulator = null!;
    private Incident? _incident;

    public ControllerRevisionUndoActionTests() => _journal = new RecordingJournal(() => _handler.Requests.Count);

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.Zero), CancellationToken.None);
        _http.BaseAddress = _simulator.Url;
        _simulator.Create(SandboxCommand.DbStatefulSet);
        _simulator.Create(SandboxCommand.AgentDaemonSet);
        await _simulator.SettleAsync(CancellationToken.None);
        foreach (var version in new[] { "2", "3" })
        {
            await PatchAsync(StatefulSetPath, SetImage("db", $"postgres:1{version}"));
            await PatchAsync("/apis/apps/v1/namespaces/default/daemonsets/node-agent", SetImage("agent", $"node-agent:{version}.0"));
            await _simulator.SettleAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    private IEnumerable<FakeApiRequest> Patches => _handler.Requests.Where(r => r.Method == "PATCH");

    [Fact]
    public async Task StatefulSet_Previous_RollsBackToTheSecondHighestRevision_AndReportsBothRevisions()
    {
        var result = await RunAsync(new() { ["statefulset"] = "db" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("rolled back statefulset/default/db from revision 3 to revision 2");
        result.Before.ShouldBe("postgres:13 (revision 3)");
        result.After.ShouldBe("postgres:12 (revision 4, was 2)"); // the controller re-uses revision 2's object as max + 1
        result.RolledBackFrom.ShouldBe(new RevisionRef("statefulset/default/db", RevisionName("db", 3)));
        Image("StatefulSet", "db").ShouldBe("postgres:12");
        JsonNode.Parse(result.Detail!)!["patched"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task DaemonSet_ToRevision1_RestoresItsTemplate_AndTheControllerReusesThatRevision()
    {
        var result = await RunAsync(new() { ["daemonset"] = "node-agent", ["to_revision"] = "1" });
        await _simulator.SettleAsync(CancellationToken.None);

        result.Summary.ShouldBe("rolled back daemonset/default/node-agent from revision 3 to revision 1");
        result.RolledBackFrom.ShouldBe(new RevisionRef("daemonset/default/node-agent", RevisionName("node-agent", 3)));
        Image("DaemonSet", "node-agent").ShouldBe("node-agent:1.0");
        _simulator.ControllerRevisionsOf("default", "node-agent").Select(r => r["revision"]!.GetValue<long>()).Order().ShouldBe([2, 3, 4]);
        // What the incident and ROLLBACK COMPLETE say is the number the controller gave the restored template.
        result.Before.ShouldBe("node-agent:3.0 (revision 3)");
        result.After.ShouldBe("node-agent:1.0 (revision 4, was 1)");
    }

    [Fact]
    public async Task SendsKubectlsRequests_GetListPatch_WithTheSelectorOfTheStatefulSet_AndAConfirmingGetBeforeThePatch()
    {
        await RunAsync(new() { ["statefulset"] = "db" });

        _handler.Requests.Where(r => !r.Path.EndsWith("/events", StringComparison.Ordinal)).Select(r => $"{r.Method} {r.Path}{r.Query}").ShouldBe(
        [
            $"GET {StatefulSetPath}",
            "GET /apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3Ddb",
            $"GET {StatefulSetPath}", // unchanged since the first: the history listed is its own
            $"PATCH {StatefulSetPath}",
        ]);
        Patches.Single().ContentType.ShouldStartWith("application/strategic-merge-patch+json");
    }

    [Fact]
    public async Task ThePatchIsTheRevisionsDataVerbatim_AfterTheResourceVersionRead()
    {
        var resourceVersion = _simulator.Get("apps/v1", "StatefulSet", "default", "db")!["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var list = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/apis/apps/v1/namespaces/default/controllerrevisions", UriKind.Relative)));
        var data = list.RootElement.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("revision").GetInt64() == 2 && r.GetProperty("metadata").GetProperty("name").GetString()!.StartsWith("db-", StringComparison.Ordinal)).GetProperty("data").GetRawText();

        await RunAsync(new() { ["statefulset"] = "db" });

        Patches.Single().Body.ShouldBe($$"""{"metadata":{"resourceVersion":"{{resourceVersion}}"},{{data[1..]}}""");
    }

    [Fact]
    public async Task ToRevisionNotInHistory_FailsWithKubectlsWording_SendsNoPatch_AndPostsAWarningEvent()
    {
        var result = await RunAsync(new() { ["statefulset"] = "db", ["to_revision"] = "7" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("unable to find specified revision 7 in history");
        result.Before.ShouldBe("postgres:13 (revision 3)");
        Patches.ShouldBeEmpty();
        var warning = (await EventsAsync()).ShouldHaveSingleItem();
        warning["type"]!.GetValue<string>().ShouldBe("Warning");
        warning["message"]!.GetValue<string>().ShouldContain("unable to find specified revision 7");
    }

    [Fact]
    public async Task ASingleRevision_HasNoLastRevisionToRollBackTo()
    {
        _simulator.Create(SandboxCommand.AgentDaemonSet.Replace("node-agent", "solo", StringComparison.Ordinal));
        await _simulator.SettleAsync(CancellationToken.None);

        var result = await RunAsync(new() { ["daemonset"] = "solo" });

        result.Summary.ShouldBe("no last revision to roll back to");
        Patches.ShouldBeEmpty();
    }

    [Fact]
    public async Task ARevisionWithTheSameLabelsOwnedByAnotherObject_IsNotHistory()
    {
        _simulator.Create("""
            {"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"db-stranger","labels":{"app":"db"},
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"db","uid":"uid-of-an-older-db","controller":true}]},
             "data":{"spec":{"template":{"$patch":"replace"}}},"revision":99}
            """);

        var result = await RunAsync(new() { ["statefulset"] = "db", ["to_revision"] = "99" });

        result.Summary.ShouldBe("unable to find specified revision 99 in history");
    }

    [Fact]
    public async Task TemplateAlreadyMatchesTheRevision_SucceedsAsSkipped_WithoutAPatchOrABackup()
    {
        var result = await RunAsync(new() { ["daemonset"] = "node-agent", ["to_revision"] = "3" });

        result.Succeeded.ShouldBeTrue();
        result.Summary.ShouldBe("skipped rollback (current template already matches revision 3)");
        result.After.ShouldBe("node-agent:3.0 (revision 3)");
        result.RolledBackFrom.ShouldBeNull();
        Patches.ShouldBeEmpty();
        _journal.Saved.ShouldBeEmpty();
    }

    [Fact]
    public async Task AStatusWriteBetweenReadAndPatch_IsNotAConflict_ThePatchGoesAgainOnTheNewVersion()
    {
        // The StatefulSet controller writes status all through a rollout, which is exactly when a rollback is wanted.
        var writes = 0;
        _handler.Before = async request =>
        {
            if (request.Method == "PATCH" && writes++ < 2)
            {
                await PatchAsync(StatefulSetPath + "/status", "{\"status\":{\"observedGeneration\":" + (100 + writes) + "}}");
            }
        };

        var result = await RunAsync(new() { ["statefulset"] = "db" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        Patches.Count().ShouldBe(3);
        Image("StatefulSet", "db").ShouldBe("postgres:12");
        _journal.Progress.Count(p => p == "statefulset/default/db was written by its controller since it was read (status only); patching again").ShouldBe(2);
    }

    [Fact]
    public async Task APatchAppliedButAnsweredWithA503_IsRetried_ItsOwnConflictIsRecognisedAsDone_ButNotMarkedKnownBad()
    {
        var lost = false;
        _handler.LoseAnswer = r => r.Method == "PATCH" && !lost && (lost = true);

        var result = await RunAsync(new() { ["statefulset"] = "db" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        Patches.Count().ShouldBe(2);
        Image("StatefulSet", "db").ShouldBe("postgres:12");
        result.Summary.ShouldBe("statefulset/default/db found on revision 2's template after a conflict (put there by Watchdog's own earlier attempt whose answer was lost, or by another writer); revision 3 not marked known bad");
        result.RolledBackFrom.ShouldBeNull();
    }

    [Fact]
    public async Task InvalidAnswerToThePatch_FailsWithTheServersMessage()
    {
        _handler.Answer = r => r.Method == "PATCH" ? (422, FakeKubernetesApi.StatusBody(422, "Invalid", "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas' are forbidden")) : null;

        var result = await RunAsync(new() { ["statefulset"] = "db" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("failed restoring revision 2: StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas' are forbidden");
        result.RolledBackFrom.ShouldBeNull();
    }

    [Fact]
    public async Task RevisionRolledBackFromBefore_IsRefused_AndNothingIsPatched()
    {
        _journal.BadRevisions.Add(new RevisionRef("daemonset/default/node-agent", RevisionName("node-agent", 2)));

        var result = await RunAsync(new() { ["daemonset"] = "node-agent", ["mode"] = "previous" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("refused: revision 2 of daemonset/default/node-agent was rolled back from before (known bad)");
        Patches.ShouldBeEmpty();
    }

    [Fact]
    public async Task Default_PassesOverAKnownBadPreviousRevision_ToTheNewestGoodOne()
    {
        _journal.BadRevisions.Add(new RevisionRef("statefulset/default/db", RevisionName("db", 2)));

        var result = await RunAsync(new() { ["statefulset"] = "db" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("rolled back statefulset/default/db from revision 3 to revision 1");
        Image("StatefulSet", "db").ShouldBe("postgres:15"); // revision 1, not the known-bad postgres:12
    }

    [Fact]
    public async Task Default_WhenEveryOlderRevisionIsKnownBad_RefusesNamingThemAll_AndNothingIsPatched()
    {
        _journal.BadRevisions.Add(new RevisionRef("daemonset/default/node-agent", RevisionName("node-agent", 2)));
        _journal.BadRevisions.Add(new RevisionRef("daemonset/default/node-agent", RevisionName("node-agent", 1)));

        var result = await RunAsync(new() { ["daemonset"] = "node-agent" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe($"refused: every revision of daemonset/default/node-agent older than the running revision 3 is known bad (skipped revisions 2 (ControllerRevision {RevisionName("node-agent", 2)}), 1 (ControllerRevision {RevisionName("node-agent", 1)})); not rolling back");
        Patches.ShouldBeEmpty();
        Image("DaemonSet", "node-agent").ShouldBe("node-agent:3.0");
    }

    [Fact]
    public async Task TheObjectAsReadIsSavedOnTheIncident_BeforeThePatchIsSent()
    {
        var before = await _http.GetStringAsync(new Uri(StatefulSetPath, UriKind.Relative));

        await RunAsync(new() { ["statefulset"] = "db" });

        var saved = _journal.Saved.ShouldHaveSingleItem();
        saved.What.ShouldBe("statefulset/default/db");
        saved.Json.ShouldBe(before);
        saved.RequestsBefore.ShouldBe(3); // the GET, the LIST and the confirming GET; the PATCH came after
    }

    [Fact]
    public async Task AnEventIsPostedOnTheWorkload_WithTheIncident()
    {
        await RunAsync(new() { ["daemonset"] = "node-agent" });

        var posted = (await EventsAsync()).ShouldHaveSingleItem();
        posted["reason"]!.GetValue<string>().ShouldBe("WatchdogRollback");
        posted["type"]!.GetValue<string>().ShouldBe("Normal");
        posted["involvedObject"]!["kind"]!.GetValue<string>().ShouldBe("DaemonSet");
        posted["involvedObject"]!["apiVersion"]!.GetValue<string>().ShouldBe("apps/v1");
        posted["involvedObject"]!["name"]!.GetValue<string>().ShouldBe("node-agent");
        posted["involvedObject"]!["uid"]!.GetValue<string>().ShouldBe(_simulator.Get("apps/v1", "DaemonSet", "default", "node-agent")!["metadata"]!["uid"]!.GetValue<string>());
        posted["message"]!.GetValue<string>().ShouldStartWith("Watchdog rolled back daemonset/default/node-agent from revision 3 to revision 2 (incident 1");
    }

    [Fact]
    public async Task ARefusedEvent_DoesNotFailTheStep()
    {
        _handler.Answer = r => r.Method == "POST" ? (403, FakeKubernetesApi.StatusBody(403, "Forbidden", "events are refused here")) : null;

        var result = await RunAsync(new() { ["statefulset"] = "db" });

        result.Succeeded.ShouldBeTrue();
        JsonNode.Parse(result.Detail!)!["eventPosted"]!.GetValue<bool>().ShouldBeFalse();
        _journal.Progress.ShouldContain("event on statefulset/default/db not posted");
    }

    [Fact]
    public async Task AMissingObject_FailsAsNotFound_AndAnUnreachableServerWithTheError()
    {
        (await RunAsync(new() { ["daemonset"] = "nope" })).Summary.ShouldBe("daemonset default/nope not found");

        var unreachable = await RunAsync(new() { ["statefulset"] = "db" }, new Uri("http://127.0.0.1:1"));

        unreachable.Succeeded.ShouldBeFalse();
        unreachable.Summary.ShouldStartWith($"Kubernetes API unreachable: GET http://127.0.0.1:1{StatefulSetPath}:");
    }

    [Fact]
    public void Validate_ReportsEveryProblem_AndBothActionsAreRegistered()
    {
        StatefulSetUndoAction.ValidateParameters(new Dictionary<string, string> { ["statefulset"] = "db", ["namespace"] = "prod", ["to_revision"] = "4" }).ShouldBeEmpty();
        DaemonSetUndoAction.ValidateParameters(new Dictionary<string, string> { ["statefulset"] = "db", ["namespace"] = " ", ["to_revision"] = "0" }).ShouldBe(
        [
            "daemonset: required, the DaemonSet's name",
            "namespace: empty",
            "to_revision: '0' is not a revision number (1 or more)",
            "statefulset: unknown parameter (daemonset, namespace, to_revision, mode)",
        ]);
        StatefulSetUndoAction.ValidateParameters(new Dictionary<string, string> { ["statefulset"] = "db", ["mode"] = "latest" }).ShouldBe(["mode: 'latest' is not previous-good or previous"]);
        StatefulSetUndoAction.ValidateParameters(new Dictionary<string, string> { ["statefulset"] = "db", ["mode"] = "previous-good", ["to_revision"] = "1" })
            .ShouldBe(["to_revision: not with mode previous-good, which chooses the revision itself"]);
        var registry = WatchdogPlugins.Registry();
        registry.Names(PluginKind.Action).ShouldContain("statefulset-undo");
        registry.Names(PluginKind.Action).ShouldContain("daemonset-undo");
        registry.Announced(PluginKind.Action).ShouldNotContain("statefulset-undo");
        registry.Announced(PluginKind.Action).ShouldNotContain("daemonset-undo");
    }

    [Fact]
    public async Task Preview_NamesWhatRunsAndWhereTheUndoWouldLand_ReadingOnly()
    {
        var (statefulSet, statefulSetMethods) = await PreviewAsync(new() { ["statefulset"] = "db" });
        var (daemonSet, daemonSetMethods) = await PreviewAsync(new() { ["daemonset"] = "node-agent", ["to_revision"] = "1" });

        statefulSet.ShouldBe(new StepPreview("postgres:13 (revision 3)", "postgres:12 (revision 2)"));
        daemonSet.ShouldBe(new StepPreview("node-agent:3.0 (revision 3)", "node-agent:1.0 (revision 1)"));
        statefulSetMethods.Concat(daemonSetMethods).ShouldAllBe(method => method == "GET");
        statefulSetMethods.ShouldNotBeEmpty();
        Image("StatefulSet", "db").ShouldBe("postgres:13");
        _journal.Progress.ShouldBeEmpty();
    }

    private async Task<(StepPreview? Preview, List<string> Methods)> PreviewAsync(Dictionary<string, string> parameters)
    {
        var handler = new InterceptingHandler(); // the client disposes it
        var incident = _incident ??= await _s.OpenIncidentAsync();
        var run = new ActionRun { Id = 7, IncidentId = incident.Id, Target = "checkout", Action = Watchdog.Rules.DecisionAction.Rollback, Authority = Watchdog.Rules.Authority.Automatic, Rule = "error-rate-critical", CreatedAt = ExecutorScenario.T0 };
        using var client = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = _simulator.Url.AbsoluteUri }, TimeProvider.System, new KubernetesRetryOptions(), handler);
        using var connection = new KubernetesConnection(client);
        IStepPreview action = parameters.ContainsKey("daemonset") ? new DaemonSetUndoAction(connection) : new StatefulSetUndoAction(connection);
        var context = new ActionContext(_s.Target, incident, run, new ActionStep(7, 1, ((IRollbackAction)action).Name, parameters), _journal, _s.Time);
        var preview = await action.PreviewAsync(context, CancellationToken.None);
        return (preview, [.. handler.Requests.Select(r => r.Method)]);
    }

    private async Task<ActionResult> RunAsync(Dictionary<string, string> parameters, Uri? server = null)
    {
        var incident = _incident ??= await _s.OpenIncidentAsync();
        var run = new ActionRun { Id = 7, IncidentId = incident.Id, Target = "checkout", Action = Watchdog.Rules.DecisionAction.Rollback, Authority = Watchdog.Rules.Authority.Automatic, Rule = "error-rate-critical", CreatedAt = ExecutorScenario.T0 };
        var retry = new KubernetesRetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(5) };
        using var client = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = (server ?? _simulator.Url).AbsoluteUri }, TimeProvider.System, retry, server is null ? _handler : new InterceptingHandler());
        using var connection = new KubernetesConnection(client);
        IRollbackAction action = parameters.ContainsKey("daemonset") ? new DaemonSetUndoAction(connection) : new StatefulSetUndoAction(connection);
        var context = new ActionContext(_s.Target, incident, run, new ActionStep(7, 1, action.Name, parameters), _journal, _s.Time);
        return await action.ExecuteAsync(context, CancellationToken.None);
    }

    private string Image(string kind, string name) =>
        _simulator.Get("apps/v1", kind, "default", name)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private async Task<List<JsonNode>> EventsAsync() =>
        [.. JsonNode.Parse(await _http.GetStringAsync(new Uri("/api/v1/namespaces/default/events", UriKind.Relative)))!["items"]!.AsArray().Select(e => e!)];

    private static string SetImage(string container, string image) =>
        new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = image }) } } } }.ToJsonString();

    private async Task PatchAsync(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/strategic-merge-patch+json");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The ControllerRevision's name (owner and template hash): how a known-bad revision is remembered.</summary>
    private string RevisionName(string owner, long revision) =>
        _simulator.ControllerRevisionsOf("default", owner).Single(r => r["revision"]!.GetValue<long>() == revision)["metadata"]!["name"]!.GetValue<string>();
}
