using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Kubernetes;
using Watchdog.Rules;
using Watchdog.Sandbox;
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
    private KubernetesSimulator _byKubectl = null!;
    private KubernetesSimulator _byWatchdog = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_home);
        _byKubectl = await StartAsync();
        _byWatchdog = await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _byKubectl.DisposeAsync();
        await _byWatchdog.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public async Task Undo_ByWatchdogAndByKubectl_LeavesTheSameDeploymentAndRevisions(string? toRevision)
    {
        string[] undo = toRevision is null ? ["rollout", "undo", "deployment/checkout"] : ["rollout", "undo", "deployment/checkout", $"--to-revision={toRevision}"];
        var (code, _, error) = await Kubectl(_byKubectl).RunAsync(undo);
        code.ShouldBe(0, error);
        var result = await UndoByWatchdogAsync(toRevision);
        await _byKubectl.SettleAsync(CancellationToken.None);
        await _byWatchdog.SettleAsync(CancellationToken.None);

        result.Succeeded.ShouldBeTrue(result.Summary);
        Spec(_byWatchdog).ShouldBe(Spec(_byKubectl));
        Revisions(_byWatchdog).ShouldBe(Revisions(_byKubectl));
        result.RolledBackFrom.ShouldBe(new RevisionRef("deployment/default/checkout", "3"));
    }

    [Fact]
    public async Task Undo_ToTheCurrentRevision_IsSkippedByBoth_AndChangesNothing()
    {
        var before = Spec(_byWatchdog);
        var (code, output, error) = await Kubectl(_byKubectl).RunAsync("rollout", "undo", "deployment/checkout", "--to-revision=3");
        var result = await UndoByWatchdogAsync("3");

        code.ShouldBe(0, error);
        output.ShouldContain("skipped rollback");
        result.Succeeded.ShouldBeTrue();
        result.Summary.ShouldContain("skipped rollback");
        Spec(_byWatchdog).ShouldBe(before);
        Spec(_byKubectl).ShouldBe(before);
    }

    [Fact]
    public async Task Undo_ToARevisionThatDoesNotExist_FailsForBoth()
    {
        var (code, _, error) = await Kubectl(_byKubectl).RunAsync("rollout", "undo", "deployment/checkout", "--to-revision=9");
        var result = await UndoByWatchdogAsync("9");

        code.ShouldNotBe(0);
        error.ShouldContain("unable to find specified revision 9");
        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldContain("unable to find specified revision 9");
    }

    private async Task<KubernetesSimulator> StartAsync()
    {
        var simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        simulator.Create(SandboxCommand.CheckoutDeployment);
        await simulator.SettleAsync(CancellationToken.None);
        foreach (var image in new[] { "checkout:2.0", "checkout:3.0" })
        {
            var (code, _, error) = await Kubectl(simulator).RunAsync("set", "image", "deployment/checkout", $"checkout={image}");
            code.ShouldBe(0, error);
            await simulator.SettleAsync(CancellationToken.None);
        }

        return simulator;
    }

    private Kubectl Kubectl(KubernetesSimulator simulator) => new(simulator.Url, _home);

    private async Task<ActionResult> UndoByWatchdogAsync(string? toRevision)
    {
        using var connection = new KubernetesConnection(new KubernetesClient(new KubernetesClientConfig { Server = _byWatchdog.Url }, TimeProvider.System));
        var parameters = new Dictionary<string, string> { ["deployment"] = "checkout", ["namespace"] = "default" };
        if (toRevision is not null)
        {
            parameters["to_revision"] = toRevision;
        }

        var now = TimeProvider.System.GetUtcNow();
        var incident = new Incident { Id = 1, Target = "checkout", Policy = "p", DetectedAt = now, TriggerRule = "r", TriggerAction = DecisionAction.Rollback, TriggerAuthority = Authority.Automatic, TriggerSummary = "s" };
        var run = new ActionRun { Id = 1, IncidentId = 1, Target = "checkout", Action = DecisionAction.Rollback, Authority = Authority.Automatic, Rule = "r", CreatedAt = now };
        var context = new ActionContext(new TargetOptions { Name = "checkout" }, incident, run, new ActionStep(1, 0, "deployment-undo", parameters), new NoJournal(), TimeProvider.System);
        return await new DeploymentUndoAction(connection).ExecuteAsync(context, CancellationToken.None);
    }

    private static string Spec(KubernetesSimulator simulator) =>
        simulator.Get("apps/v1", "Deployment", "default", "checkout")!["spec"]!.ToJsonString();

    private static List<(int Revision, string Image)> Revisions(KubernetesSimulator simulator) =>
        [.. simulator.ReplicaSetsOf("default", "checkout")
            .Select(rs => (
                int.Parse(rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                rs["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>()))
            .OrderBy(r => r.Item1)];

    private sealed class NoJournal : IActionJournal
    {
        public Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveStateAsync(string what, string json, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsBadRevisionAsync(RevisionRef revision, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
