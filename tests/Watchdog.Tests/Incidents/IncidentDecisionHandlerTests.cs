using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Actions;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;
using Watchdog.TestSupport;

namespace Watchdog.Tests.Incidents;

/// <summary>
/// The watch cycle's two questions per target (when did it last act, is an incident open) go to the store only while
/// the answer may have changed: a healthy target that never acted costs no query after its first evaluation.
/// </summary>
public sealed class IncidentDecisionHandlerTests : IAsyncDisposable
{
    private static readonly CompiledPolicy Policy = PolicyText.Compile("""
        name: simple
        matrix:
          - {id: errors-high, when: "error_rate > 0.1", action: rollback, authority: automatic}
          - {id: slow, when: "latency > 2", action: investigate, authority: on-call}
        """);

    private readonly CountingStore _store = new(new InMemoryWatchdogStore());
    private readonly ExecutorScenario _s;
    private readonly PolicyState _state = Policy.CreateState();
    private readonly ExecutorParts _executor;
    private readonly IncidentManager _manager;
    private readonly IncidentDecisionHandler _handler;

    public IncidentDecisionHandlerTests()
    {
        _s = new ExecutorScenario(_store);
        _s.Target = _s.Target with
        {
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [new PlanStepOptions { Action = "deployment-undo", Parameters = new Dictionary<string, string> { ["deployment"] = "checkout" } }],
                [DecisionAction.Investigate] = [new PlanStepOptions { Action = "deployment-undo", Parameters = new Dictionary<string, string> { ["deployment"] = "checkout" } }],
            },
        };
        _executor = _s.Executor(new RecordingAction("deployment-undo"));
        var quiet = new QuietTargets();
        _manager = new IncidentManager(_store, _executor.Planner, _s.Outbox, _s.Time, NullLogger<IncidentManager>.Instance, quiet: quiet);
        _handler = new IncidentDecisionHandler(_manager, _executor.Executor, [], quiet);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    // As the watch cycle asks: the last action first (for the cooldowns), then the decision.
    private async Task<DateTimeOffset?> TickAsync(double errorRate, double latency = 0.1)
    {
        var lastAction = await _handler.LastActionAtAsync(_s.Target.Name, CancellationToken.None);
        var frame = Policy.CreateFrame();
        frame[Policy.IndexOf("error_rate")] = SignalValue.Of(errorRate);
        frame[Policy.IndexOf("latency")] = SignalValue.Of(latency);
        await _handler.HandleAsync(_s.Target, Policy, _state, Policy.Evaluate(frame, _s.Time.GetUtcNow(), _state), CancellationToken.None);
        _s.Time.Advance(TimeSpan.FromSeconds(15));
        return lastAction;
    }

    [Fact]
    public async Task HealthyTargetThatNeverActed_AsksTheStoreNothingAfterItsFirstTwoEvaluations()
    {
        // The first says there is no open incident, the second (now knowing that) that it never acted.
        (await TickAsync(0.01)).ShouldBeNull();
        (await TickAsync(0.01)).ShouldBeNull();
        _store.OpenIncidentReads.ShouldBe(1);
        _store.RunListings.ShouldBe(2);

        for (var i = 0; i < 5; i++)
        {
            (await TickAsync(0.01)).ShouldBeNull();
        }

        _store.OpenIncidentReads.ShouldBe(1);
        _store.RunListings.ShouldBe(2);
        (await _store.ListDecisionsAsync("checkout", null, 10, CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task OnceAnIncidentOpens_BothQuestionsGoToTheStoreAgain_AndTheRunItPlannedCounts()
    {
        await TickAsync(0.01);
        await TickAsync(0.5);
        var run = (await _store.ListRunsAsync(new RunQuery(Target: "checkout"), CancellationToken.None)).ShouldHaveSingleItem();
        run.Status.ShouldBe(ActionRunStatus.Running);
        var (incidentReads, listings) = (_store.OpenIncidentReads, _store.RunListings);

        // The run is planned but not started: the store's CreatedAt is the last action, as before any caching.
        (await TickAsync(0.5)).ShouldBe(run.CreatedAt);
        _store.OpenIncidentReads.ShouldBe(incidentReads + 1);
        _store.RunListings.ShouldBeGreaterThan(listings);
    }

    [Fact]
    public async Task RunWaitingForApproval_OfAnIncidentClosedByHand_KeepsTheLastActionAskedOfTheStore()
    {
        await TickAsync(0.01, latency: 3);
        var incident = (await _store.GetOpenIncidentAsync("checkout", CancellationToken.None)).ShouldNotBeNull();
        var approval = (await _store.ListApprovalsAsync(ApprovalStatus.Pending, CancellationToken.None)).ShouldHaveSingleItem();
        (await _manager.CloseAsync(incident.Id, "alice", null, CancellationToken.None)).ShouldBeTrue();
        (await TickAsync(0.01)).ShouldBeNull();
        (await TickAsync(0.01)).ShouldBeNull();
        var listings = _store.RunListings;

        // Approved after the close: the run starts without a new decision, and the cooldown must see it at once.
        await _executor.OnApprovedAsync(approval with { Status = ApprovalStatus.Approved }, CancellationToken.None);
        (await TickAsync(0.01)).ShouldNotBeNull();
        _store.RunListings.ShouldBe(listings + 1);
    }

    private sealed class CountingStore(IWatchdogStore inner) : DelegatingStore(inner)
    {
        private int _openIncidentReads;
        private int _runListings;

        public int OpenIncidentReads => Volatile.Read(ref _openIncidentReads);

        public int RunListings => Volatile.Read(ref _runListings);

        public override Task<Incident?> GetOpenIncidentAsync(string target, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _openIncidentReads);
            return base.GetOpenIncidentAsync(target, cancellationToken);
        }

        public override Task<IReadOnlyList<ActionRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
        {
            if (query.Target is not null)
            {
                Interlocked.Increment(ref _runListings);
            }

            return base.ListRunsAsync(query, cancellationToken);
        }
    }
}
