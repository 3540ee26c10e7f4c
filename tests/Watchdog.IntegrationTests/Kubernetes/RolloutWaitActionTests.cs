using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Kubernetes;
using Watchdog.Rules;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary><c>rollout-wait</c> against the simulator's deployment controller.</summary>
public sealed class RolloutWaitActionTests : IAsyncLifetime, IDisposable
{
    private readonly List<string> _progress = [];
    private KubernetesSimulator _simulator = null!;
    private KubernetesConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        await _simulator.SettleAsync(CancellationToken.None);
        _connection = new KubernetesConnection(new KubernetesClient(new KubernetesClientConfig { Server = _simulator.Url }, TimeProvider.System));
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task Wait_NewImageRollsOut_SucceedsWithKubectlsWords()
    {
        await SetImageAsync("checkout:2.0");

        var result = await WaitAsync(new() { ["deployment"] = "checkout", ["timeout"] = "20s", ["poll"] = "100ms" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe("deployment/default/checkout: deployment \"checkout\" successfully rolled out");
        _progress[^1].ShouldBe(result.Summary);
    }

    [Fact]
    public async Task Wait_PodsNeverBecomeReady_FailsAtTheTimeoutWithTheLastStatus()
    {
        _simulator.FailRollouts("default", "checkout");
        await SetImageAsync("checkout:broken");

        var result = await WaitAsync(new() { ["deployment"] = "checkout", ["timeout"] = "1s", ["poll"] = "100ms" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldStartWith("deployment/default/checkout: timed out after 1s waiting for the rollout (Waiting for deployment \"checkout\" rollout to finish:");
    }

    [Fact]
    public async Task Wait_MissingDeployment_FailsWithTheApiServersMessage()
    {
        var result = await WaitAsync(new() { ["deployment"] = "gone", ["timeout"] = "5s" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldContain("not found");
    }

    private async Task SetImageAsync(string image) =>
        await _connection.Client.SendAsync(
            HttpMethod.Patch,
            KubernetesPaths.Deployment("default", "checkout"),
            """{"spec":{"template":{"spec":{"containers":[{"name":"checkout","image":"IMAGE"}]}}}}""".Replace("IMAGE", image, StringComparison.Ordinal),
            "application/strategic-merge-patch+json",
            CancellationToken.None);

    private async Task<ActionResult> WaitAsync(Dictionary<string, string> parameters)
    {
        var now = TimeProvider.System.GetUtcNow();
        var incident = new Incident { Id = 1, Target = "checkout", Policy = "p", DetectedAt = now, TriggerRule = "r", TriggerAction = DecisionAction.Rollback, TriggerAuthority = Authority.Automatic, TriggerSummary = "s" };
        var run = new ActionRun { Id = 1, IncidentId = 1, Target = "checkout", Action = DecisionAction.Rollback, Authority = Authority.Automatic, Rule = "r", CreatedAt = now };
        var context = new ActionContext(new TargetOptions { Name = "checkout" }, incident, run, new ActionStep(1, 1, "rollout-wait", parameters), new ProgressJournal(_progress), TimeProvider.System);
        return await new RolloutWaitAction(_connection).ExecuteAsync(context, CancellationToken.None);
    }

    private sealed class ProgressJournal(List<string> progress) : IActionJournal
    {
        public Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken)
        {
            progress.Add(summary);
            return Task.CompletedTask;
        }

        public Task SaveStateAsync(string what, string json, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsBadRevisionAsync(RevisionRef revision, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
