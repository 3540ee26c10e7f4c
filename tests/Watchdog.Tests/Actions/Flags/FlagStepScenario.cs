using Watchdog.Actions;
using Watchdog.Actions.Flags;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Actions.Flags;

/// <summary>
/// A target whose rollback plan is one flag step then a deployment undo, run by the real executor over the in-memory
/// store, with a fake flag provider, scripted signals and a clock whose timers a test waits for before moving it.
/// </summary>
internal sealed class FlagStepScenario
{
    public static readonly TimeSpan Hold = TimeSpan.FromMinutes(2);

    private ExecutorScenario _s;

    public FlagStepScenario(string action, Dictionary<string, string> parameters, IWatchdogStore? store = null)
    {
        _s = new ExecutorScenario(store);
        Clock.SetUtcNow(ExecutorScenario.T0);
        _s.Target = new TargetOptions
        {
            Name = "checkout",
            Policy = "runbook-matrix",
            Interval = TimeSpan.FromSeconds(10),
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] =
                [
                    new PlanStepOptions { Action = action, Parameters = new Dictionary<string, string>(parameters) { ["flag"] = "checkout-v2" } },
                    new PlanStepOptions { Action = "deployment-undo", Parameters = new Dictionary<string, string> { ["deployment"] = "checkout" } },
                ],
            },
        };
    }

    public TimerWatchingClock Clock { get; } = new();

    public FakeFlagProvider Flags { get; } = new();

    public FakeTargetSignals Signals { get; } = new();

    public RecordingAction Undo { get; } = new("deployment-undo");

    public IWatchdogStore Store => _s.Store;

    /// <summary>The pages queued, over every executor of this scenario (a restart keeps the same outbox only until <see cref="Reopen"/>).</summary>
    public RecordingNotificationOutbox Outbox => _s.Outbox;

    /// <summary>Each queued message's Progress field (the flag steps' announcements), in order.</summary>
    public IReadOnlyList<string> ProgressPages =>
        [.. Outbox.Queued.SelectMany(q => q.Message.Fields.Where(f => f.Key == "Progress").Select(f => f.Value))];

    /// <summary>From now on over <paramref name="store"/>: the same database opened again by a new process.</summary>
    public void Reopen(IWatchdogStore store) => _s = new ExecutorScenario(store) { Target = _s.Target };

    /// <summary>A new executor (a daemon start) over the same store, provider and signals.</summary>
    public ExecutorParts Executor() => _s.Executor(Clock, new FlagReduceAction(Flags, Signals), new FlagDisableAction(Flags), Undo);

    public async Task<(long IncidentId, long RunId)> PlanRunAsync(ExecutorParts executor)
    {
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        return (incident.Id, run!.Id);
    }

    /// <summary>Waits until the <paramref name="count"/>th timer due after <paramref name="due"/> exists, then moves the clock by it.</summary>
    public async Task AdvanceAsync(TimeSpan due, int count)
    {
        await Eventually.HoldsAsync(() => Clock.TimersDueAfter(due) >= count, $"timer {count} due after {due} exists");
        Clock.Advance(due);
    }

    public async Task<List<string>> TimelineAsync(long incidentId, string kind) =>
        [.. (await Store.GetTimelineAsync(incidentId, CancellationToken.None)).Where(e => e.Kind == kind).Select(e => e.Summary)];
}
