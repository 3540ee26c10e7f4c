using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox;
using Watchdog.Tests.Actions;
using Watchdog.Tests.Kubernetes;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>
/// Fault "another writer between GET and LIST" (issue 9, failure 6): someone sets an image while deployment-undo reads
/// the deployment and its ReplicaSets, or while its PATCH is on the way. The run must decide on one consistent state of
/// the deployment and its history, report what really happened, and mark known bad only a revision Watchdog itself
/// rolled back from. The simulator's controllers are stepped by the tests (a writer's change is settled, or left
/// unobserved on purpose).
/// </summary>
public sealed class AnotherWriterDuringUndoTests : IAsyncLifetime
{
    private const string Resource = "deployment/default/checkout";
    private const string DeploymentPath = "/apis/apps/v1/namespaces/default/deployments/checkout";
    private const string DaemonSetPath = "/apis/apps/v1/namespaces/default/daemonsets/node-agent";
    private static readonly Dictionary<string, string> Previous = new() { ["deployment"] = "checkout" };

    private SimulatorHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await SimulatorHarness.StartAsync(SandboxCommand.CheckoutDeployment);
        await _h.Simulator.SetImageAsync("default", "checkout", "checkout", "checkout:2.0");
        await _h.Simulator.SetImageAsync("default", "checkout", "checkout", "checkout:3.0"); // revision 3 runs
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private string Image => _h.Simulator.ImageOf("default", "checkout");

    private IEnumerable<FakeApiRequest> Patches => _h.Handler.Patches;

    private static bool IsList(FakeApiRequest request) => request.Method == "GET" && request.Path.EndsWith("/replicasets", StringComparison.Ordinal);

    [Fact]
    public async Task Undo_AnImageSetWhenTheListArrives_IsReadAgain_AndRolledBackFrom_NotReportedAsSkipped()
    {
        var lists = 0;
        _h.Handler.Before = async request =>
        {
            if (IsList(request) && Interlocked.Increment(ref lists) == 1)
            {
                await _h.Simulator.SetImageAsync("default", "checkout", "checkout", "checkout:4.0"); // revision 4, controller done
            }
        };

        var result = await RunAdvancingTheClockAsync(Previous);
        await _h.Simulator.SettleAsync(CancellationToken.None);

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe($"rolled back {Resource} from revision 4 to revision 3");
        Image.ShouldBe("checkout:3.0");
        result.RolledBackFrom.ShouldBe(new RevisionRef(Resource, HashOf("checkout:4.0")));
        _h.Journal.Progress.ShouldContain(p => p.StartsWith($"{Resource} read again: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Undo_AnImageSetWhenTheListArrives_NotYetSeenByTheController_WaitsForIt_ThenRollsBackFromIt()
    {
        var lists = 0;
        _h.Handler.Before = async request =>
        {
            if (IsList(request) && Interlocked.Increment(ref lists) == 1)
            {
                await SetImageUnobservedAsync("checkout:4.0");
            }
        };

        var run = _h.RunAsync(new DeploymentUndoAction(_h.Connection), Previous);
        await AdvanceTheClockUntilAsync(() => _h.Journal.Progress.Any(p => p.Contains("its controller has not observed generation", StringComparison.Ordinal)));
        await _h.Simulator.SettleAsync(CancellationToken.None); // the controller catches up: revision 4 exists
        var result = await AdvanceTheClockUntilDoneAsync(run);
        await _h.Simulator.SettleAsync(CancellationToken.None);

        result.Summary.ShouldBe($"rolled back {Resource} from revision 4 to revision 3");
        Image.ShouldBe("checkout:3.0");
        result.RolledBackFrom.ShouldBe(new RevisionRef(Resource, HashOf("checkout:4.0")));
    }

    [Fact]
    public async Task Undo_OfADeploymentItsControllerNeverObserves_FailsClearly_PatchesNothing_AndMarksNothing()
    {
        await SetImageUnobservedAsync("checkout:4.0"); // no ReplicaSet for it yet: the "previous" revision is unknown

        var result = await RunAdvancingTheClockAsync(Previous);

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldStartWith("the deployment kept changing while it was read: its controller has not observed generation ");
        result.Summary.ShouldEndWith(", so its newest ReplicaSet may not exist yet; not rolled back");
        result.RolledBackFrom.ShouldBeNull();
        Patches.ShouldBeEmpty();
        Image.ShouldBe("checkout:4.0");
    }

    [Fact]
    public async Task Undo_AWriterThatChangesTheDeploymentAtEveryRead_FailsAfterABoundedNumberOfReads()
    {
        var lists = 0;
        _h.Handler.Before = async request =>
        {
            if (IsList(request))
            {
                var image = Interlocked.Increment(ref lists) % 2 == 1 ? "checkout:4.0" : "checkout:3.0";
                await _h.Simulator.SetImageAsync("default", "checkout", "checkout", image);
            }
        };

        var result = await RunAdvancingTheClockAsync(Previous);

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldStartWith("the deployment kept changing while it was read: generation ");
        result.Summary.ShouldEndWith("; not rolled back");
        lists.ShouldBe(5); // five reads, a second apart, then the clear failure
        Patches.ShouldBeEmpty();
    }

    [Fact]
    public async Task Undo_AWriterThatPutsTheTargetTemplateInPlaceBeforeThePatch_IsReportedSo_AndNothingIsMarkedKnownBad()
    {
        // The alternating writer: revision 2's image again (someone else's undo) just before Watchdog's PATCH lands.
        var scenario = new ExecutorScenario(target: new TargetOptions
        {
            Name = "checkout",
            Policy = "runbook-matrix",
            Cooldown = TimeSpan.Zero,
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [new PlanStepOptions { Action = DeploymentUndoAction.PluginName, Parameters = Previous }],
            },
        });
        var running = HashOf("checkout:3.0");
        _h.Handler.Before = async request =>
        {
            if (request.Method == "PATCH" && Patches.Count() == 1)
            {
                await _h.Simulator.SetImageAsync("default", "checkout", "checkout", "checkout:2.0");
            }
        };
        var incident = await scenario.OpenIncidentAsync();

        var proposed = await scenario.Executor(new DeploymentUndoAction(_h.Connection)).ProposeAsync(incident, scenario.Target, scenario.Decide(), CancellationToken.None);
        await scenario.Executor(new DeploymentUndoAction(_h.Connection)).ExecuteRunAsync(proposed!.Id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var step = (await scenario.Store.GetStepsAsync(proposed.Id, CancellationToken.None)).Single();
        step.Status.ShouldBe(StepStatus.Succeeded);
        JsonNode.Parse(step.Result!)!["summary"]!.GetValue<string>().ShouldBe($"{Resource} found on revision 2's template after a conflict (put there by Watchdog's own earlier attempt whose answer was lost, or by another writer); revision 3 not marked known bad");
        (await scenario.Store.IsBadRevisionAsync("checkout", Resource, running, CancellationToken.None)).ShouldBeFalse();
        Image.ShouldBe("checkout:2.0");
    }

    [Fact]
    public async Task Undo_AWriterThatChangesTheImageAndBackBeforeThePatch_IsAConflict_NotARollbackOnTheOldHistory()
    {
        // The spec ends as it was read, but the history moved (revision 3's ReplicaSet is now revision 5): the undo
        // planned on the old history is not sent as if only the controller had written.
        _h.Handler.Before = async request =>
        {
            if (request.Method == "PATCH" && Patches.Count() == 1)
            {
                await _h.Simulator.SetImageAsync("default", "checkout", "checkout", "checkout:4.0");
                await _h.Simulator.SetImageAsync("default", "checkout", "checkout", "checkout:3.0");
            }
        };

        var result = await _h.RunAsync(new DeploymentUndoAction(_h.Connection), Previous);

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("conflict: the deployment changed, not rolled back");
        result.RolledBackFrom.ShouldBeNull();
        Patches.Count().ShouldBe(1);
        Image.ShouldBe("checkout:3.0");
    }

    [Fact]
    public async Task StatefulSetUndo_AnImageSetWhenTheListArrives_IsReadAgain_AndRolledBackFrom_NotReportedAsSkipped()
    {
        _h.Simulator.Create(SandboxCommand.DbStatefulSet);
        await _h.Simulator.SettleAsync(CancellationToken.None);
        await SetStatefulSetImageAsync("postgres:16");
        var lists = 0;
        _h.Handler.Before = async request =>
        {
            if (request.Method == "GET" && request.Path.EndsWith("/controllerrevisions", StringComparison.Ordinal) && Interlocked.Increment(ref lists) == 1)
            {
                await SetStatefulSetImageAsync("postgres:17"); // revision 3, recorded by the controller
            }
        };

        var result = await RunAdvancingTheClockAsync(new() { ["statefulset"] = "db" }, new StatefulSetUndoAction(_h.Connection));

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("rolled back statefulset/default/db from revision 3 to revision 2");
        _h.Simulator.Get("apps/v1", "StatefulSet", "default", "db")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("postgres:16");
        var left = _h.Simulator.ControllerRevisionsOf("default", "db").Single(r => r["revision"]!.GetValue<long>() == 3)["metadata"]!["name"]!.GetValue<string>();
        result.RolledBackFrom.ShouldBe(new RevisionRef("statefulset/default/db", left));
    }

    [Fact]
    public async Task DaemonSetUndo_OfADaemonSetItsControllerNeverObserves_FailsClearly_AndPatchesNothing()
    {
        _h.Simulator.Create(SandboxCommand.AgentDaemonSet);
        await _h.Simulator.SettleAsync(CancellationToken.None);
        foreach (var image in new[] { "node-agent:2.0", "node-agent:3.0" })
        {
            await _h.PatchDirectlyAsync(DaemonSetPath, "application/strategic-merge-patch+json", SetImagePatch("agent", image));
            await _h.Simulator.SettleAsync(CancellationToken.None);
        }

        await _h.PatchDirectlyAsync(DaemonSetPath, "application/strategic-merge-patch+json", SetImagePatch("agent", "node-agent:4.0")); // no revision 4 yet

        var result = await RunAdvancingTheClockAsync(new() { ["daemonset"] = "node-agent" }, new DaemonSetUndoAction(_h.Connection));

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldStartWith("the daemonset kept changing while it was read: its controller has not observed generation ");
        result.Summary.ShouldEndWith(", so its newest ControllerRevision may not exist yet; not rolled back");
        Patches.ShouldBeEmpty();
    }

    /// <summary>Runs the undo, moving the step's clock on while it waits between reads.</summary>
    private Task<ActionResult> RunAdvancingTheClockAsync(Dictionary<string, string> parameters, IRollbackAction? action = null) =>
        AdvanceTheClockUntilDoneAsync(_h.RunAsync(action ?? new DeploymentUndoAction(_h.Connection), parameters));

    private async Task<ActionResult> AdvanceTheClockUntilDoneAsync(Task<ActionResult> run)
    {
        await AdvanceTheClockUntilAsync(() => run.IsCompleted);
        return await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Half the pause between reads at a time, so a test sees each wait before it ends.</summary>
    private async Task AdvanceTheClockUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 2000 && !condition(); i++)
        {
            _h.Time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }

        condition().ShouldBeTrue("the awaited state was not reached");
    }

    /// <summary><c>kubectl set image</c> whose change the deployment controller has not acted on yet.</summary>
    private Task SetImageUnobservedAsync(string image) =>
        _h.PatchDirectlyAsync(DeploymentPath, "application/strategic-merge-patch+json", SetImagePatch("checkout", image));

    private async Task SetStatefulSetImageAsync(string image)
    {
        await _h.PatchDirectlyAsync("/apis/apps/v1/namespaces/default/statefulsets/db", "application/strategic-merge-patch+json", SetImagePatch("db", image));
        await _h.Simulator.SettleAsync(CancellationToken.None);
    }

    private static string SetImagePatch(string container, string image) =>
        new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = image }) } } } }.ToJsonString();

    /// <summary>The pod template hash of the ReplicaSet running <paramref name="image"/>: how a known-bad revision is remembered.</summary>
    private string HashOf(string image) =>
        _h.Simulator.ReplicaSetsOf("default", "checkout")
            .Single(rs => rs["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>() == image)["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>();
}
