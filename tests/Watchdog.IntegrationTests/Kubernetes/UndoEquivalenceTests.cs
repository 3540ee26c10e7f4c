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
    private readonly string _home = Path.Combine(Path.GetTempPath(), "watchdog-tests", Guid.NewGuid().ToString("N"));
    private SimulatedCluster _kubectlSide = null!;
    private SimulatedCluster _watchdogSide = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_home);
        _kubectlSide = await StartAsync();
        _watchdogSide = await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _kubectlSide.DisposeAsync();
        await _watchdogSide.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public async Task Undo_ByWatchdogAndByKubectl_LeavesTheSameDeploymentAndRevisions(string? toRevision)
    {
        string[] undo = toRevision is null ? ["rollout", "undo", "deployment/checkout"] : ["rollout", "undo", "deployment/checkout", $"--to-revision={toRevision}"];
        var (code, _, error) = await Kubectl(_kubectlSide.Simulator).RunAsync(undo);
        code.ShouldBe(0, error);
        var result = await UndoByWatchdogAsync(toRevision);
        await _kubectlSide.Simulator.SettleAsync(CancellationToken.None);
        await _watchdogSide.Simulator.SettleAsync(CancellationToken.None);

        result.Succeeded.ShouldBeTrue(result.Summary);
        Spec(_watchdogSide.Simulator).ShouldBe(Spec(_kubectlSide.Simulator));
        Revisions(_watchdogSide.Simulator).ShouldBe(Revisions(_kubectlSide.Simulator));
        result.RolledBackFrom.ShouldBe(new RevisionRef("deployment/default/checkout", "3"));
    }

    [Fact]
    public async Task Undo_ToTheCurrentRevision_IsSkippedByBoth_AndChangesNothing()
    {
        var before = Spec(_watchdogSide.Simulator);
        var (code, output, error) = await Kubectl(_kubectlSide.Simulator).RunAsync("rollout", "undo", "deployment/checkout", "--to-revision=3");
        var result = await UndoByWatchdogAsync("3");

        code.ShouldBe(0, error);
        output.ShouldContain("skipped rollback");
        result.Succeeded.ShouldBeTrue();
        result.Summary.ShouldContain("skipped rollback");
        Spec(_watchdogSide.Simulator).ShouldBe(before);
        Spec(_kubectlSide.Simulator).ShouldBe(before);
    }

    [Fact]
    public async Task Undo_ToARevisionThatDoesNotExist_FailsForBoth()
    {
        var (code, _, error) = await Kubectl(_kubectlSide.Simulator).RunAsync("rollout", "undo", "deployment/checkout", "--to-revision=9");
        var result = await UndoByWatchdogAsync("9");

        code.ShouldNotBe(0);
        error.ShouldContain("unable to find specified revision 9");
        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldContain("unable to find specified revision 9");
    }

    [Fact]
    public async Task Undo_OfAPausedDeployment_IsRefusedByBoth_WithKubectlsWords_AndChangesNothing()
    {
        foreach (var side in new[] { _kubectlSide, _watchdogSide })
        {
            var (pauseCode, _, pauseError) = await Kubectl(side.Simulator).RunAsync("rollout", "pause", "deployment/checkout");
            pauseCode.ShouldBe(0, pauseError);
        }

        var before = Spec(_watchdogSide.Simulator);
        var (code, _, error) = await Kubectl(_kubectlSide.Simulator).RunAsync("rollout", "undo", "deployment/checkout");
        var result = await UndoByWatchdogAsync(null);

        code.ShouldNotBe(0);
        error.Trim().ShouldBe("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        Spec(_kubectlSide.Simulator).ShouldBe(before);
        Spec(_watchdogSide.Simulator).ShouldBe(before);
        Revisions(_watchdogSide.Simulator).ShouldBe(Revisions(_kubectlSide.Simulator));
    }

    private async Task<SimulatedCluster> StartAsync()
    {
        var cluster = await SimulatedCluster.StartAsync();
        foreach (var image in new[] { "checkout:2.0", "checkout:3.0" })
        {
            var (code, _, error) = await Kubectl(cluster.Simulator).RunAsync("set", "image", "deployment/checkout", $"checkout={image}");
            code.ShouldBe(0, error);
            await cluster.Simulator.SettleAsync(CancellationToken.None);
        }

        return cluster;
    }

    private Kubectl Kubectl(KubernetesSimulator simulator) => new(simulator.Url, _home);

    private Task<ActionResult> UndoByWatchdogAsync(string? toRevision)
    {
        var parameters = new Dictionary<string, string> { ["deployment"] = "checkout", ["namespace"] = "default" };
        if (toRevision is not null)
        {
            parameters["to_revision"] = toRevision;
        }

        return _watchdogSide.RunAsync(new DeploymentUndoAction(_watchdogSide.Connection), parameters);
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
