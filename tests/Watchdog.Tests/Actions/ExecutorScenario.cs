using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Actions;

/// <summary>An executor over a shared store, with a manual clock and recording plug-ins; "restart" builds a new one over the same store.</summary>
internal sealed class ExecutorScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public ExecutorScenario(IWatchdogStore? store = null, TargetOptions? target = null)
    {
        Store = store ?? new InMemoryWatchdogStore();
        Target = target ?? new TargetOptions
        {
            Name = "checkout",
            Policy = "runbook-matrix",
            Environment = "production",
            Cooldown = TimeSpan.FromMinutes(10),
            MaxActionsPerHour = 3,
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] =
                [
                    new PlanStepOptions { Action = "flag-reduce", Parameters = new Dictionary<string, string> { ["flag"] = "checkout-v2" } },
                    new PlanStepOptions { Action = "deployment-undo", Parameters = new Dictionary<string, string> { ["deployment"] = "checkout" } },
                ],
            },
        };
    }

    public IWatchdogStore Store { get; }

    public TargetOptions Target { get; set; }

    public FakeTimeProvider Time { get; } = TestClock.At(T0);

    public RecordingNotificationOutbox Outbox { get; } = new();

    public ReadyRuns Ready { get; private set; } = new();

    public List<long> Queued { get; } = [];

    /// <summary>The executor's <c>store.write_retry_for</c>.</summary>
    public TimeSpan WriteRetryFor { get; set; } = new StoreOptions().WriteRetryFor;

    public ExecutorParts Executor(params IRollbackAction[] actions) => Executor(Time, actions);

    /// <summary>An executor on another clock, e.g. the system's for steps that poll a real server (rollout-wait).</summary>
    public ExecutorParts Executor(TimeProvider time, params IRollbackAction[] actions)
    {
        Ready = new ReadyRuns();
        var options = new WatchdogOptions { Targets = [Target], Store = new StoreOptions { WriteRetryFor = WriteRetryFor } };
        var catalog = new ActionCatalog(actions);
        var notices = new RunNotices(Outbox, Store);
        var logger = NullLogger<ActionExecutor>.Instance;
        return new ExecutorParts(
            new RunPlanner(Store, new StoreApprovalRequests(), notices, Ready, time, logger),
            new ActionExecutor(options, Store, catalog, notices, time, logger),
            new RunRecovery(Store, catalog, notices, Ready, time, logger));
    }

    public async Task<Incident> OpenIncidentAsync(DecisionAction action = DecisionAction.Rollback, Authority authority = Authority.Automatic)
    {
        await using var tx = await Store.BeginAsync(CancellationToken.None);
        var incident = await tx.InsertIncidentAsync(
            new Incident
            {
                Target = Target.Name,
                Policy = "runbook-matrix",
                Environment = "production",
                DetectedAt = Time.GetUtcNow(),
                TriggerRule = "error-rate-critical",
                TriggerAction = action,
                TriggerAuthority = authority,
                TriggerSummary = "rollback (automatic) by matrix row error-rate-critical: error_rate > 0.1 [0.12: true]",
            },
            CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return incident;
    }

    /// <summary>Closes the target's open incident (as recovered) and opens its next one.</summary>
    public async Task<Incident> NextIncidentAsync()
    {
        if (await Store.GetOpenIncidentAsync(Target.Name, CancellationToken.None) is { } open)
        {
            await using var tx = await Store.BeginAsync(CancellationToken.None);
            await tx.UpdateIncidentAsync(open with { Status = IncidentStatus.Closed, ClosedAt = Time.GetUtcNow(), CloseReason = "recovered" }, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        return await OpenIncidentAsync();
    }

    public Decision Decide(DecisionAction action = DecisionAction.Rollback, Authority authority = Authority.Automatic) =>
        new(Time.GetUtcNow(), action, authority, false, DecisionSource.Matrix, "error-rate-critical", "critical", false);

    /// <summary>The ids the executor handed to the worker so far (drains the hand-off).</summary>
    public async Task<List<long>> DrainReadyAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var ids = new List<long>();
        try
        {
            await foreach (var id in Ready.ReadAllAsync(stop.Token))
            {
                ids.Add(id);
            }
        }
        catch (OperationCanceledException)
        {
            // The hand-off never completes; the short wait only collects what is already there.
        }

        return ids;
    }

    public async Task<IReadOnlyList<string>> TimelineKindsAsync(long incidentId) =>
        [.. (await Store.GetTimelineAsync(incidentId, CancellationToken.None)).Select(e => e.Kind)];
}
