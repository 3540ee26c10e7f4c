using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.Kubernetes;

namespace Watchdog.Tests.Actions.Kubernetes;

public sealed class KnownGoodTrackerTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Resource = "deployment/default/web";

    private readonly InMemoryWatchdogStore _store = new();
    private readonly RecordingLogger<KnownGoodTracker> _logger = new();
    private FakeKubernetesApi _api = null!;
    private KubernetesConnection _connection = null!;
    private KnownGoodTracker _tracker = null!;

    private readonly TargetOptions _target = new()
    {
        Name = "checkout",
        VerifyWindow = TimeSpan.FromMinutes(10),
        Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
        {
            [DecisionAction.Rollback] = [new PlanStepOptions { Action = "deployment-undo", Parameters = new Dictionary<string, string> { ["deployment"] = "web", ["mode"] = "last-known-good" } }],
            [DecisionAction.ScaleThenRollback] = [new PlanStepOptions { Action = "deployment-undo", Parameters = new Dictionary<string, string> { ["deployment"] = "web", ["namespace"] = "default" } }],
        },
    };

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.SeedDeployment("web", current: 3, revisions: 3);
        RolledOut(true);
        var client = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = _api.BaseUrl.AbsoluteUri }, TimeProvider.System, new KubernetesRetryOptions { MaxRetries = 0, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(5) });
        _connection = new KubernetesConnection(client);
        _tracker = new KnownGoodTracker(_connection, _store, _logger);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _store.DisposeAsync();
    }

    public void Dispose() => _connection.Dispose();

    private Task<IReadOnlyList<KnownGoodRevision>> RecordedAsync() => _store.ListKnownGoodAsync("checkout", Resource, CancellationToken.None);

    private async Task HealthyAsync(params int[] minutes)
    {
        foreach (var minute in minutes)
        {
            await _tracker.ObserveAsync(_target, Decision.NoneAt(T0.AddMinutes(minute)), CancellationToken.None);
        }
    }

    private void RolledOut(bool complete)
    {
        var deployment = _api.Deployments["web"];
        deployment["status"] = new JsonObject
        {
            ["observedGeneration"] = deployment["metadata"]!["generation"]!.GetValue<int>(),
            ["replicas"] = 3,
            ["updatedReplicas"] = complete ? 3 : 1,
            ["availableReplicas"] = complete ? 3 : 1,
        };
    }

    [Fact]
    public async Task HealthyForTheWholeWindow_RecordsTheRunningTemplateOnce()
    {
        await HealthyAsync(0, 5, 9);
        (await RecordedAsync()).ShouldBeEmpty();

        await HealthyAsync(10, 11, 20);

        (await RecordedAsync()).ShouldBe([new KnownGoodRevision("checkout", Resource, "3", "3aaa", T0, T0.AddMinutes(10))]);
        _logger.Entries.Count(e => e.Message.Contains("is known good", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task AnUnhealthyOrInconclusiveDecision_StartsTheWindowAgain()
    {
        await HealthyAsync(0, 5);
        await _tracker.ObserveAsync(_target, Decision.InconclusiveAt(T0.AddMinutes(6)), CancellationToken.None);
        await HealthyAsync(7, 12);
        await _tracker.ObserveAsync(_target, new Decision(T0.AddMinutes(13), DecisionAction.Rollback, Authority.Automatic, false, DecisionSource.Matrix, "errors", "critical", false), CancellationToken.None);
        await HealthyAsync(14, 20, 23);
        (await RecordedAsync()).ShouldBeEmpty();

        await HealthyAsync(24);

        (await RecordedAsync()).Single().HealthySince.ShouldBe(T0.AddMinutes(14));
    }

    [Fact]
    public async Task AnIncompleteRollout_IsNotRecorded_AndItsWindowStartsWhenItCompletes()
    {
        RolledOut(false);
        await HealthyAsync(0, 5, 10, 15);
        (await RecordedAsync()).ShouldBeEmpty();

        RolledOut(true);
        await HealthyAsync(16, 25);
        (await RecordedAsync()).ShouldBeEmpty();
        await HealthyAsync(26);

        (await RecordedAsync()).Single().HealthySince.ShouldBe(T0.AddMinutes(16));
    }

    [Fact]
    public async Task ANewTemplateDuringAHealthyStreak_GetsAWindowOfItsOwn()
    {
        await HealthyAsync(0, 5);
        _api.Deployments["web"]["spec"]!["template"] = FakeKubernetesApi.Template("web", "web:v2", hash: null); // revision 2's template again
        await HealthyAsync(6, 10, 15);
        (await RecordedAsync()).ShouldBeEmpty();

        await HealthyAsync(16);

        (await RecordedAsync()).ShouldBe([new KnownGoodRevision("checkout", Resource, "2", "2aaa", T0.AddMinutes(6), T0.AddMinutes(16))]);
    }

    [Fact]
    public async Task AnUnreadableApi_RecordsNothing_LogsWhy_AndStartsTheWindowAgain()
    {
        await HealthyAsync(0, 5);
        _api.Scripted.Enqueue((500, FakeKubernetesApi.StatusBody(500, "InternalError", "etcd is down")));
        await HealthyAsync(6);
        await HealthyAsync(10, 15);
        (await RecordedAsync()).ShouldBeEmpty();
        _logger.Entries.ShouldContain(e => e.Message.Contains("Could not read deployment/default/web for target checkout", StringComparison.Ordinal) && e.Message.Contains("etcd is down", StringComparison.Ordinal));

        await HealthyAsync(20);

        (await RecordedAsync()).Single().HealthySince.ShouldBe(T0.AddMinutes(10));
    }

    [Fact]
    public async Task AnApiThatStaysUnreadable_IsLoggedOnce_AndAgainOnlyWhenTheReasonChanges()
    {
        for (var i = 0; i < 3; i++)
        {
            _api.Scripted.Enqueue((500, FakeKubernetesApi.StatusBody(500, "InternalError", "etcd is down")));
        }

        _api.Scripted.Enqueue((403, FakeKubernetesApi.StatusBody(403, "Forbidden", "deployments.apps \"web\" is forbidden")));
        await HealthyAsync(0, 1, 2, 3);

        var logged = _logger.Entries.Where(e => e.Message.StartsWith("Could not read", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        logged.Count.ShouldBe(2);
        logged[0].ShouldEndWith("etcd is down");
        logged[1].ShouldEndWith("deployments.apps \"web\" is forbidden");
    }

    [Fact]
    public async Task ReadsAtMostEveryThirtySeconds_AndEachDeploymentOnce()
    {
        for (var second = 0; second < 120; second += 15)
        {
            await _tracker.ObserveAsync(_target, Decision.NoneAt(T0.AddSeconds(second)), CancellationToken.None);
        }

        // Two plans name web: it is read once per check, at 0, 30, 60 and 90 s.
        _api.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/deployments/web", StringComparison.Ordinal)).ShouldBe(4);
    }

    [Fact]
    public async Task ATargetWithoutADeploymentUndo_ReadsNothing()
    {
        var target = _target with { Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>> { [DecisionAction.Rollback] = [new PlanStepOptions { Action = "notify-only" }] } };

        await _tracker.ObserveAsync(target, Decision.NoneAt(T0), CancellationToken.None);
        await _tracker.ObserveAsync(target, Decision.NoneAt(T0.AddHours(1)), CancellationToken.None);

        _api.Requests.ShouldBeEmpty();
        KnownGoodTracker.Deployments(_target).ShouldBe([("default", "web")]);
    }
}
