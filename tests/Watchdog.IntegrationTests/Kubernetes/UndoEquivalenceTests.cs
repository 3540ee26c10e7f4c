using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// Watchdog's <c>deployment-undo</c> against the real <c>kubectl rollout undo</c>: two simulators brought to the same
/// state (revisions 1 to 3) by the same kubectl commands, one undone by kubectl, the other by Watchdog; the deployment
/// specs left behind must be byte-identical and the ReplicaSet revisions the same.
/// </summary>
public sealed class UndoEquivalenceTests : IAsyncLifetime
{
    private TwinClusters _twins = null!;

    public async Task InitializeAsync() => _twins = await TwinClusters.StartAsync(PrepareAsync);

    public async Task DisposeAsync() => await _twins.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public async Task Undo_ByWatchdogAndByKubectl_LeavesTheSameDeploymentAndRevisions(string? toRevision)
    {
        string[] undo = toRevision is null ? ["rollout", "undo", "deployment/checkout"] : ["rollout", "undo", "deployment/checkout", $"--to-revision={toRevision}"];
        var (code, _, error) = await Kubectl(_twins.KubectlSide).RunAsync(undo);
        code.ShouldBe(0, error);
        var result = await UndoByWatchdogAsync(toRevision);
        await _twins.KubectlSide.Simulator.SettleAsync(CancellationToken.None);
        await _twins.WatchdogSide.Simulator.SettleAsync(CancellationToken.None);

        result.Succeeded.ShouldBeTrue(result.Summary);
        Spec(_twins.WatchdogSide.Simulator).ShouldBe(Spec(_twins.KubectlSide.Simulator));
        Revisions(_twins.WatchdogSide.Simulator).ShouldBe(Revisions(_twins.KubectlSide.Simulator));
        // Remembered as known bad by its pod template hash, which stays with the template however it is renumbered.
        var left = _twins.WatchdogSide.Simulator.ReplicaSetsOf("default", "checkout").Single(rs => rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>() == "3");
        result.RolledBackFrom.ShouldBe(new RevisionRef("deployment/default/checkout", left["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Undo_ToTheCurrentRevision_IsSkippedByBoth_AndChangesNothing()
    {
        var before = Spec(_twins.WatchdogSide.Simulator);
        var (code, output, error) = await Kubectl(_twins.KubectlSide).RunAsync("rollout", "undo", "deployment/checkout", "--to-revision=3");
        var result = await UndoByWatchdogAsync("3");

        code.ShouldBe(0, error);
        output.ShouldContain("skipped rollback");
        result.Succeeded.ShouldBeTrue();
        result.Summary.ShouldContain("skipped rollback");
        Spec(_twins.WatchdogSide.Simulator).ShouldBe(before);
        Spec(_twins.KubectlSide.Simulator).ShouldBe(before);
    }

    [Fact]
    public async Task Undo_ToARevisionThatDoesNotExist_FailsForBoth()
    {
        var (code, _, error) = await Kubectl(_twins.KubectlSide).RunAsync("rollout", "undo", "deployment/checkout", "--to-revision=9");
        var result = await UndoByWatchdogAsync("9");

        code.ShouldNotBe(0);
        error.ShouldContain("unable to find specified revision 9");
        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldContain("unable to find specified revision 9");
    }

    [Fact]
    public async Task Undo_OfAPausedDeployment_IsRefusedByBoth_WithKubectlsWords_AndChangesNothing()
    {
        foreach (var side in new[] { _twins.KubectlSide, _twins.WatchdogSide })
        {
            var (pauseCode, _, pauseError) = await Kubectl(side).RunAsync("rollout", "pause", "deployment/checkout");
            pauseCode.ShouldBe(0, pauseError);
        }

        var before = Spec(_twins.WatchdogSide.Simulator);
        var (code, _, error) = await Kubectl(_twins.KubectlSide).RunAsync("rollout", "undo", "deployment/checkout");
        var result = await UndoByWatchdogAsync(null);

        code.ShouldNotBe(0);
        error.Trim().ShouldBe("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        Spec(_twins.KubectlSide.Simulator).ShouldBe(before);
        Spec(_twins.WatchdogSide.Simulator).ShouldBe(before);
        Revisions(_twins.WatchdogSide.Simulator).ShouldBe(Revisions(_twins.KubectlSide.Simulator));
    }

    [Fact]
    public async Task AfterTwoBadReleasesInARow_TheDefaultLandsOnTheGoodOne_AndModePreviousChoosesWhatKubectlChooses()
    {
        // Revisions 1 (1.0, good), 2 (2.0, bad and known bad), 3 (3.0, bad and running).
        var bad = _twins.WatchdogSide.Simulator.ReplicaSetsOf("default", "checkout").Single(rs => rs["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>() == "checkout:2.0");
        var badHash = bad["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>();
        _twins.WatchdogSide.BadRevisions.Add(new RevisionRef("deployment/default/checkout", badHash));

        var previous = await UndoByWatchdogAsync(null, mode: "previous");
        var (code, _, error) = await Kubectl(_twins.KubectlSide).RunAsync("rollout", "undo", "deployment/checkout");
        var byDefault = await UndoByWatchdogAsync(null);
        await _twins.KubectlSide.Simulator.SettleAsync(CancellationToken.None);
        await _twins.WatchdogSide.Simulator.SettleAsync(CancellationToken.None);

        code.ShouldBe(0, error);
        _twins.KubectlSide.Simulator.ImageOf("default", "checkout").ShouldBe("checkout:2.0");
        previous.Succeeded.ShouldBeFalse();
        previous.Summary.ShouldBe("refused: revision 2 of deployment/default/checkout was rolled back from before (known bad)");
        byDefault.Succeeded.ShouldBeTrue(byDefault.Summary);
        byDefault.Summary.ShouldBe("rolled back deployment/default/checkout from revision 3 to revision 1");
        _twins.WatchdogSide.Simulator.ImageOf("default", "checkout").ShouldBe("checkout:1.0");
        _twins.WatchdogSide.Progress.ShouldContain($"previous good of deployment/default/checkout: revision 1, skipping known-bad revision 2 (pod template {badHash})");
    }

    private static async Task PrepareAsync(SimulatedCluster cluster, Kubectl kubectl)
    {
        foreach (var image in new[] { "checkout:2.0", "checkout:3.0" })
        {
            var (code, _, error) = await kubectl.RunAsync("set", "image", "deployment/checkout", $"checkout={image}");
            code.ShouldBe(0, error);
            await cluster.Simulator.SettleAsync(CancellationToken.None);
        }
    }

    private Kubectl Kubectl(SimulatedCluster cluster) => _twins.Kubectl(cluster);

    private Task<ActionResult> UndoByWatchdogAsync(string? toRevision, string? mode = null)
    {
        var parameters = new Dictionary<string, string> { ["deployment"] = "checkout", ["namespace"] = "default" };
        if (mode is not null)
        {
            parameters["mode"] = mode;
        }

        if (toRevision is not null)
        {
            parameters["to_revision"] = toRevision;
        }

        return _twins.WatchdogSide.RunAsync(new DeploymentUndoAction(_twins.WatchdogSide.Connection), parameters);
    }

    private static string Spec(KubernetesSimulator simulator) =>
        simulator.Get("apps/v1", "Deployment", "default", "checkout")!["spec"]!.ToJsonString();

    private static List<(int Revision, string Image)> Revisions(KubernetesSimulator simulator) =>
        [.. simulator.ReplicaSetsOf("default", "checkout")
            .Select(rs => (
                int.Parse(rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                rs["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>()))
            .OrderBy(r => r.Item1)];
}
