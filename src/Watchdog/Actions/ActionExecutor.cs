using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Rules;
using Watchdog.Store;

namespace Watchdog.Actions;

/// <summary>
/// Turns a decision into a run of the target's plan and carries it out step by step. Every step is journalled
/// in the store before and after it runs, so after a crash <see cref="RecoverAsync"/> resumes an idempotent
/// step and reports any other as interrupted instead of repeating it blindly.
/// </summary>
public sealed class ActionExecutor(
    WatchdogOptions options,
    IWatchdogStore store,
    ActionCatalog catalog,
    IApprovalRequests approvals,
    INotificationOutbox outbox,
    ReadyRuns queue,
    TimeProvider time,
    ILogger<ActionExecutor> logger) : IApprovalOutcomeHandler
{
    private static readonly ActionRunStatus[] Active = [ActionRunStatus.AwaitingApproval, ActionRunStatus.Running];
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastActionAt = new(StringComparer.Ordinal);

    /// <summary>
    /// Plans a run for a conclusive decision on an open incident, unless one is already under way, the
    /// target is in dry run, or a safety rail holds it back (each recorded once, with its reason).
    /// Automatic runs are queued at once; others wait for approval.
    /// </summary>
    /// <returns>The run created (possibly a dry-run or skipped record), or null when nothing new was recorded.</returns>
    public async Task<ActionRun?> ProposeAsync(Incident incident, TargetOptions target, Decision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(target);
        if (decision.Action == DecisionAction.None || decision.IsInconclusive)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var lookBack = target.Cooldown > TimeSpan.FromHours(1) ? target.Cooldown : TimeSpan.FromHours(1);
        var recent = await store.ListRunsAsync(new RunQuery(Target: target.Name, Since: now - lookBack), cancellationToken);
        var ofIncident = await store.ListRunsAsync(new RunQuery(IncidentId: incident.Id), cancellationToken);
        if (recent.Concat(ofIncident).Any(r => Active.Contains(r.Status)))
        {
            return null;
        }

        var run = new ActionRun
        {
            IncidentId = incident.Id,
            Target = target.Name,
            Action = decision.Action,
            Authority = decision.Authority,
            Rule = decision.RuleId ?? "",
            CreatedAt = now,
            DryRun = target.DryRun,
        };
        var plan = target.Plans.GetValueOrDefault(decision.Action) ?? [];
        if (plan.Count == 0)
        {
            return await SkipOnceAsync(incident, run, ofIncident, $"no plan: target {target.Name} has no steps for '{decision.Action.ToName()}'", cancellationToken);
        }

        if (target.DryRun)
        {
            return ofIncident.Any(r => r.Status == ActionRunStatus.DryRun && r.Action == decision.Action)
                ? null
                : await RecordDryRunAsync(incident, run, plan, cancellationToken);
        }

        if (SafetyRails.Check(target, recent, now) is { } reason)
        {
            return await SkipOnceAsync(incident, run, ofIncident, reason, cancellationToken);
        }

        var automatic = decision.Authority == Authority.Automatic;
        await using var tx = await store.BeginAsync(cancellationToken);
        var stored = await tx.InsertRunAsync(run with { Status = automatic ? ActionRunStatus.Running : ActionRunStatus.AwaitingApproval }, cancellationToken);
        for (var i = 0; i < plan.Count; i++)
        {
            await tx.InsertStepAsync(new ActionStep(stored.Id, i, plan[i].Action, plan[i].Parameters), cancellationToken);
        }

        var steps = string.Join(", ", plan.Select(s => s.Action));
        await tx.AppendEventAsync(
            new IncidentEvent(incident.Id, now, IncidentEventKind.ActionPlanned, $"{decision.Action.ToName()} planned by {run.Rule} (authority {decision.Authority.ToName()}): {steps}", Json(new { runId = stored.Id, steps = plan })),
            cancellationToken);
        if (!automatic)
        {
            var pending = new Approval
            {
                RunId = stored.Id,
                IncidentId = incident.Id,
                Target = target.Name,
                Action = decision.Action,
                Required = decision.Authority,
                RequestedAt = now,
            };
            await approvals.RequestAsync(tx, pending, incident, incident.TriggerSummary, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        ExecutorLog.Planned(logger, target.Name, incident.Id, decision.Action.ToName(), plan.Count, decision.Authority.ToName(), stored.Id, "");
        if (automatic)
        {
            queue.Enqueue(stored.Id);
        }

        return stored;
    }

    /// <summary>Carries out a queued (or approved) run from its first step that has not succeeded.</summary>
    public async Task ExecuteRunAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken);
        if (run is not { Status: ActionRunStatus.Running })
        {
            return;
        }

        var incident = await store.GetIncidentAsync(run.IncidentId, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} belongs to missing incident {run.IncidentId}.");
        var target = options.Targets.FirstOrDefault(t => t.Name == run.Target);
        var steps = await store.GetStepsAsync(runId, cancellationToken);
        var now = time.GetUtcNow();
        if (run.StartedAt is null)
        {
            run = run with { StartedAt = now };
            incident = incident with { ActionStartedAt = incident.ActionStartedAt ?? now };
            await using var tx = await store.BeginAsync(cancellationToken);
            await tx.UpdateRunAsync(run, cancellationToken);
            await tx.UpdateIncidentAsync(incident, cancellationToken);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.StepProgress, $"{run.Action.ToName()} started (run {run.Id})"), cancellationToken);
            await outbox.EnqueueAsync(tx, incident.Id, $"incident/{incident.Id}/run/{run.Id}/in-progress", RunMessages.InProgress(incident, run, now), now, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        _lastActionAt[run.Target] = run.StartedAt!.Value;
        foreach (var step in steps.Where(s => s.Status == StepStatus.Pending))
        {
            (incident, var result) = await RunStepAsync(incident, run, step, target, cancellationToken);
            if (!result.Succeeded)
            {
                await FinishAsync(incident, run, ActionRunStatus.Failed, $"step {step.Index} ({step.Action}) failed: {result.Summary}", cancellationToken);
                return;
            }
        }

        await FinishAsync(incident, run, ActionRunStatus.Succeeded, null, cancellationToken);
    }

    /// <summary>
    /// At start-up: finds runs that were under way when the process stopped. A step journalled as started but
    /// never finished is run again only if its action is idempotent; otherwise the run is reported interrupted.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        // An approval decided just before the process stopped may not have reached its run: finish the hand-off.
        var waiting = await store.ListRunsAsync(new RunQuery(Statuses: [ActionRunStatus.AwaitingApproval]), cancellationToken);
        if (waiting.Count > 0)
        {
            var decided = (await store.ListApprovalsAsync(null, cancellationToken)).Where(a => a.Status != ApprovalStatus.Pending).GroupBy(a => a.RunId).ToDictionary(g => g.Key, g => g.Last());
            foreach (var run in waiting.Where(r => decided.ContainsKey(r.Id)))
            {
                var approval = decided[run.Id];
                await (approval.Status == ApprovalStatus.Rejected ? OnRejectedAsync(approval, cancellationToken) : OnApprovedAsync(approval, cancellationToken));
            }
        }

        var running = await store.ListRunsAsync(new RunQuery(Statuses: [ActionRunStatus.Running]), cancellationToken);
        foreach (var run in running)
        {
            var steps = await store.GetStepsAsync(run.Id, cancellationToken);
            var started = steps.FirstOrDefault(s => s.Status == StepStatus.Started);
            if (started is null)
            {
                queue.Enqueue(run.Id);
                continue;
            }

            var action = catalog.Find(started.Action);
            var now = time.GetUtcNow();
            await using var tx = await store.BeginAsync(cancellationToken);
            if (action is { IsIdempotent: true })
            {
                await tx.UpdateStepAsync(started with { Status = StepStatus.Pending }, cancellationToken);
                await tx.AppendEventAsync(
                    new IncidentEvent(run.IncidentId, now, IncidentEventKind.StepResumed, $"step {started.Index} ({started.Action}) was under way when Watchdog stopped; it is idempotent, so it runs again"),
                    cancellationToken);
                await tx.CommitAsync(cancellationToken);
                ExecutorLog.Recovered(logger, run.Target, run.Id, started.Index, started.Action, "resumed (idempotent)");
                queue.Enqueue(run.Id);
                continue;
            }

            var incident = await store.GetIncidentAsync(run.IncidentId, cancellationToken);
            var issue = $"step {started.Index} ({started.Action}) was under way when Watchdog stopped and may or may not have taken effect";
            await tx.UpdateStepAsync(started with { Status = StepStatus.Interrupted, CompletedAt = now, Error = "interrupted: not repeated automatically" }, cancellationToken);
            foreach (var later in steps.Where(s => s.Status == StepStatus.Pending))
            {
                await tx.UpdateStepAsync(later with { Status = StepStatus.NotRun }, cancellationToken);
            }

            await tx.UpdateRunAsync(run with { Status = ActionRunStatus.Interrupted, CompletedAt = now, Reason = issue }, cancellationToken);
            await tx.AppendEventAsync(new IncidentEvent(run.IncidentId, now, IncidentEventKind.StepInterrupted, $"{issue}; it is not repeated: check its effect by hand"), cancellationToken);
            if (incident is not null)
            {
                await outbox.EnqueueAsync(
                    tx, incident.Id, $"incident/{incident.Id}/run/{run.Id}/interrupted",
                    RunMessages.IssuesDetected(incident, issue, $"check {started.Action} by hand; the rest of the plan was not run", now + TimeSpan.FromMinutes(15)),
                    now, cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
            ExecutorLog.Recovered(logger, run.Target, run.Id, started.Index, started.Action, "interrupted (not idempotent, not repeated)");
        }
    }

    /// <summary>When the last action on a target started; feeds the rules' cooldowns.</summary>
    public async Task<DateTimeOffset?> LastActionAtAsync(string target, CancellationToken cancellationToken)
    {
        if (_lastActionAt.TryGetValue(target, out var cached))
        {
            return cached;
        }

        var runs = await store.ListRunsAsync(new RunQuery(Target: target), cancellationToken);
        var last = runs.Where(SafetyRails.Executed).Select(r => r.StartedAt ?? r.CreatedAt).DefaultIfEmpty().Max();
        if (last == default)
        {
            return null;
        }

        _lastActionAt[target] = last;
        return last;
    }

    public async Task OnApprovedAsync(Approval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var run = await store.GetRunAsync(approval.RunId, cancellationToken);
        if (run is not { Status: ActionRunStatus.AwaitingApproval })
        {
            return;
        }

        await using var tx = await store.BeginAsync(cancellationToken);
        await tx.UpdateRunAsync(run with { Status = ActionRunStatus.Running }, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        queue.Enqueue(run.Id);
    }

    public async Task OnRejectedAsync(Approval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var run = await store.GetRunAsync(approval.RunId, cancellationToken);
        if (run is not { Status: ActionRunStatus.AwaitingApproval })
        {
            return;
        }

        var now = time.GetUtcNow();
        var steps = await store.GetStepsAsync(run.Id, cancellationToken);
        await using var tx = await store.BeginAsync(cancellationToken);
        foreach (var step in steps)
        {
            await tx.UpdateStepAsync(step with { Status = StepStatus.NotRun }, cancellationToken);
        }

        var reason = $"rejected by {approval.DecidedBy}{(approval.Comment is null ? "" : $": {approval.Comment}")}";
        await tx.UpdateRunAsync(run with { Status = ActionRunStatus.Rejected, CompletedAt = now, Reason = reason }, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        ExecutorLog.RunDone(logger, run.Target, run.Id, ActionRunStatus.Rejected.ToName());
    }

    private async Task<(Incident Incident, ActionResult Result)> RunStepAsync(Incident incident, ActionRun run, ActionStep step, TargetOptions? target, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = step with { Status = StepStatus.Started, StartedAt = startedAt, Attempts = step.Attempts + 1 };
        await using (var tx = await store.BeginAsync(cancellationToken))
        {
            await tx.UpdateStepAsync(started, cancellationToken);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, startedAt, IncidentEventKind.StepStarted, $"step {step.Index}: {step.Action} started", Json(step.Parameters)), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        var result = await InvokeAsync(incident, run, started, target, cancellationToken);
        var now = time.GetUtcNow();
        var finished = started with
        {
            Status = result.Succeeded ? StepStatus.Succeeded : StepStatus.Failed,
            CompletedAt = now,
            Result = Json(new { summary = result.Summary, before = result.Before, after = result.After, detail = AsJson(result.Detail) }),
            Error = result.Succeeded ? null : result.Summary,
        };
        var updated = incident with
        {
            BeforeState = incident.BeforeState ?? result.Before,
            AfterState = result.After ?? incident.AfterState,
        };
        await using (var tx = await store.BeginAsync(cancellationToken))
        {
            await tx.UpdateStepAsync(finished, cancellationToken);
            await tx.UpdateIncidentAsync(updated, cancellationToken);
            var kind = result.Succeeded ? IncidentEventKind.StepSucceeded : IncidentEventKind.StepFailed;
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, kind, $"step {step.Index}: {step.Action} {(result.Succeeded ? "succeeded" : "failed")}: {result.Summary}", finished.Result), cancellationToken);
            if (result.Succeeded && result.RolledBackFrom is { } bad)
            {
                await tx.MarkBadRevisionAsync(run.Target, bad.Resource, bad.Revision, incident.Id, now, cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }

        ExecutorLog.StepDone(logger, run.Target, run.Id, step.Index, step.Action, result.Succeeded ? "succeeded" : "failed", result.Summary);
        return (updated, result);
    }

    private async Task<ActionResult> InvokeAsync(Incident incident, ActionRun run, ActionStep step, TargetOptions? target, CancellationToken cancellationToken)
    {
        var action = catalog.Find(step.Action);
        if (action is null)
        {
            return ActionResult.Failure($"no action plug-in named '{step.Action}' is registered");
        }

        if (target is null)
        {
            return ActionResult.Failure($"target '{run.Target}' is no longer in the configuration");
        }

        var journal = new StepJournal(store, incident.Id, run.Target, time);
        try
        {
            return await action.ExecuteAsync(new ActionContext(target, incident, run, step, journal, time), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-step: the step stays journalled as started, and recovery decides at the next start.
            throw;
        }
        catch (Exception ex)
        {
            // By design: a plug-in that throws is a failed step, recorded on the incident, never a dead executor.
            return ActionResult.Failure($"{step.Action} threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task FinishAsync(Incident incident, ActionRun run, ActionRunStatus status, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var steps = await store.GetStepsAsync(run.Id, cancellationToken);
        await using var tx = await store.BeginAsync(cancellationToken);
        foreach (var step in steps.Where(s => s.Status == StepStatus.Pending))
        {
            await tx.UpdateStepAsync(step with { Status = StepStatus.NotRun }, cancellationToken);
        }

        await tx.UpdateRunAsync(run with { Status = status, CompletedAt = now, Reason = reason }, cancellationToken);
        if (status == ActionRunStatus.Succeeded)
        {
            await tx.UpdateIncidentAsync(incident with { ActionCompletedAt = now }, cancellationToken);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.ActionCompleted, $"{run.Action.ToName()} completed (run {run.Id}); watching for recovery"), cancellationToken);
        }
        else
        {
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.ActionCompleted, $"{run.Action.ToName()} {status.ToName()} (run {run.Id}): {reason}"), cancellationToken);
            await outbox.EnqueueAsync(
                tx, incident.Id, $"incident/{incident.Id}/run/{run.Id}/issues",
                RunMessages.IssuesDetected(incident, reason ?? status.ToName(), "the rest of the plan was not run; on-call to decide the next step", now + TimeSpan.FromMinutes(15)),
                now, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        ExecutorLog.RunDone(logger, run.Target, run.Id, status.ToName());
    }

    private async Task<ActionRun?> RecordDryRunAsync(Incident incident, ActionRun run, IReadOnlyList<PlanStepOptions> plan, CancellationToken cancellationToken)
    {
        var now = run.CreatedAt;
        var reason = $"dry run: would run {string.Join(", ", plan.Select(s => s.Action))}";
        await using var tx = await store.BeginAsync(cancellationToken);
        var stored = await tx.InsertRunAsync(run with { Status = ActionRunStatus.DryRun, CompletedAt = now, Reason = reason }, cancellationToken);
        for (var i = 0; i < plan.Count; i++)
        {
            await tx.InsertStepAsync(new ActionStep(stored.Id, i, plan[i].Action, plan[i].Parameters) { Status = StepStatus.SkippedDryRun }, cancellationToken);
        }

        await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.ActionSkipped, $"{run.Action.ToName()} by {run.Rule}: {reason}", Json(new { runId = stored.Id, steps = plan })), cancellationToken);
        await outbox.EnqueueAsync(tx, incident.Id, $"incident/{incident.Id}/run/{stored.Id}/dry-run", RunMessages.Skipped(incident, stored, reason), now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        ExecutorLog.Planned(logger, run.Target, incident.Id, run.Action.ToName(), plan.Count, run.Authority.ToName(), stored.Id, ", dry run: nothing changed");
        return stored;
    }

    // A rail that holds is reported once per incident and kind of reason, not at every tick while it holds.
    private async Task<ActionRun?> SkipOnceAsync(Incident incident, ActionRun run, IReadOnlyList<ActionRun> ofIncident, string reason, CancellationToken cancellationToken)
    {
        var kind = reason[..reason.IndexOf(':', StringComparison.Ordinal)];
        var last = ofIncident.Where(r => r.Action == run.Action).LastOrDefault();
        if (last is { Status: ActionRunStatus.Skipped } && last.Reason?.StartsWith(kind + ":", StringComparison.Ordinal) == true)
        {
            return null;
        }

        var now = run.CreatedAt;
        await using var tx = await store.BeginAsync(cancellationToken);
        var stored = await tx.InsertRunAsync(run with { Status = ActionRunStatus.Skipped, CompletedAt = now, Reason = reason }, cancellationToken);
        await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.ActionSkipped, $"{run.Action.ToName()} by {run.Rule} not run: {reason}"), cancellationToken);
        await outbox.EnqueueAsync(tx, incident.Id, $"incident/{incident.Id}/run/{stored.Id}/skipped", RunMessages.Skipped(incident, stored, reason), now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        ExecutorLog.Skipped(logger, run.Target, incident.Id, run.Action.ToName(), reason);
        return stored;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    // Plug-ins should report JSON; one that reports plain text is kept as a string rather than lost.
    private static object? AsJson(string? detail)
    {
        if (detail is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(detail);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return detail;
        }
    }
}
