using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Secrets;
using Watchdog.Telemetry;
using Watchdog.Fencing;

namespace Watchdog.Actions;

/// <summary>
/// Carries out a planned run (see <see cref="RunPlanner"/>) step by step. Every step is journalled in the store
/// before and after it runs, so after a crash <see cref="RunRecovery"/> resumes an idempotent step and reports any
/// other as interrupted instead of repeating it blindly.
/// </summary>
internal sealed class ActionExecutor(
    WatchdogOptions options,
    IWatchdogStore store,
    ActionCatalog catalog,
    IRunNotices notices,
    TimeProvider time,
    ILogger<ActionExecutor> logger,
    WatchdogMetrics? metrics = null)
{
    private static readonly TimeSpan PreviewTimeout = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastActionAt = new(StringComparer.Ordinal);
    private readonly JournalWrites _journal = new(options.Store.WriteRetryFor, time, logger);

    /// <summary>Forgets the last actions it remembers: at a new term as the leader, another replica may have acted since.</summary>
    public void ForgetHistory() => _lastActionAt.Clear();

    /// <summary>When the last action on a target started; feeds the rules' cooldowns.</summary>
    public async Task<DateTimeOffset?> LastActionAtAsync(string target, CancellationToken cancellationToken) =>
        (await ActionHistoryAsync(target, cancellationToken)).LastActionAt;

    /// <summary>
    /// <see cref="LastActionAtAsync"/>, and whether a run of the target is active (waiting for approval or running), which
    /// may start an action without a new decision; false whenever the last action is known.
    /// </summary>
    public async Task<(DateTimeOffset? LastActionAt, bool RunPending)> ActionHistoryAsync(string target, CancellationToken cancellationToken)
    {
        if (_lastActionAt.TryGetValue(target, out var cached))
        {
            return (cached, false);
        }

        var runs = await store.ListRunsAsync(new RunQuery(Target: target), cancellationToken);
        var pending = runs.Any(r => r.Status is ActionRunStatus.AwaitingApproval or ActionRunStatus.Running);
        var last = runs.Where(SafetyRails.Executed).Select(r => r.StartedAt ?? r.CreatedAt).DefaultIfEmpty().Max();
        if (last == default)
        {
            return (null, pending);
        }

        _lastActionAt[target] = last;
        return (last, false);
    }

    /// <summary>
    /// Carries out a queued (or approved) run from its first step that has not succeeded. Once <paramref name="pausing"/>
    /// is cancelled (shutdown) no further step begins: the run stays running with its next step pending, which the
    /// next start (or leader) continues.
    /// </summary>
    public async Task ExecuteRunAsync(long runId, CancellationToken cancellationToken, CancellationToken pausing = default)
    {
        var run = await store.GetRunAsync(runId, cancellationToken);
        if (run is not { Status: ActionRunStatus.Running })
        {
            return;
        }

        RunTracing.Describe(run);
        var incident = await store.GetIncidentAsync(run.IncidentId, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} belongs to missing incident {run.IncidentId}.");
        var target = options.Targets.FirstOrDefault(t => t.Name == run.Target);
        var steps = await store.GetStepsAsync(runId, cancellationToken);
        var now = time.GetUtcNow();
        if (run.StartedAt is null)
        {
            var preview = await PreviewAsync(incident, run, steps.FirstOrDefault(s => s.Status == StepStatus.Pending), target, cancellationToken);
            run = run with { StartedAt = now };
            incident = incident with { ActionStartedAt = incident.ActionStartedAt ?? now };
            var (started, startedIncident) = (run, incident);
            await _journal.WriteAsync("the run's start", run.Id, async ct =>
            {
                await using var tx = await store.BeginAsync(ct);
                await tx.UpdateRunAsync(started, ct);
                await tx.UpdateIncidentAsync(startedIncident, ct);
                await tx.AppendEventAsync(new IncidentEvent(startedIncident.Id, now, IncidentEventKind.StepProgress, $"{started.Action.ToName()} started (run {started.Id})", TraceDetail(started.Id)), ct);
                await notices.RunStartedAsync(tx, startedIncident, started, now, preview, ct);
                await tx.CommitAsync(ct);
            }, cancellationToken);
        }

        _lastActionAt[run.Target] = run.StartedAt!.Value;
        foreach (var step in steps.Where(s => s.Status == StepStatus.Pending))
        {
            if (pausing.IsCancellationRequested)
            {
                ExecutorLog.RunPaused(logger, run.Target, run.Id, step.Number, step.Action);
                return;
            }

            (incident, var result) = await RunStepAsync(incident, run, step, target, cancellationToken);
            if (!result.Succeeded)
            {
                await FinishAsync(incident, run, ActionRunStatus.Failed, $"step {step.Number} ({step.Action}) failed: {result.Summary}", cancellationToken);
                return;
            }

            if (result.TargetRecovered)
            {
                // The step itself saw the target healthy again (a flag reduction that paused): rolling back further
                // would undo what is now working, so the plan ends here, a success.
                await FinishAsync(incident, run, ActionRunStatus.Succeeded, $"step {step.Number} ({step.Action}) found the target recovered: {result.Summary}", cancellationToken);
                return;
            }
        }

        await FinishAsync(incident, run, ActionRunStatus.Succeeded, null, cancellationToken);
    }

    private async Task<(Incident Incident, ActionResult Result)> RunStepAsync(Incident incident, ActionRun run, ActionStep step, TargetOptions? target, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        // A step resumed after a restart keeps its first start, so that a step with a timeout (rollout-wait) waits
        // only the time left, not its whole timeout again.
        var started = step with { Status = StepStatus.Started, StartedAt = step.StartedAt ?? startedAt, Attempts = step.Attempts + 1 };
        await _journal.WriteAsync($"step {step.Number} started", run.Id, async ct =>
        {
            await using var tx = await store.BeginAsync(ct);
            await tx.UpdateStepAsync(started, ct);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, startedAt, IncidentEventKind.StepStarted, $"step {step.Number}: {step.Action} started", Json(step.Parameters)), ct);
            await tx.CommitAsync(ct);
        }, cancellationToken);

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
        await _journal.WriteAsync($"step {step.Number} finished", run.Id, async ct =>
        {
            await using var tx = await store.BeginAsync(ct);
            await tx.UpdateStepAsync(finished, ct);
            await tx.UpdateIncidentAsync(updated, ct);
            var kind = result.Succeeded ? IncidentEventKind.StepSucceeded : IncidentEventKind.StepFailed;
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, kind, $"step {step.Number}: {step.Action} {(result.Succeeded ? "succeeded" : "failed")}: {result.Summary}", finished.Result), ct);
            if (result.Succeeded && result.RolledBackFrom is { } bad)
            {
                await tx.MarkBadRevisionAsync(run.Target, bad.Resource, bad.Revision, incident.Id, now, ct);
            }

            await tx.CommitAsync(ct);
        }, cancellationToken);

        ExecutorLog.StepDone(logger, run.Target, run.Id, step.Number, step.Action, result.Succeeded ? "succeeded" : "failed", result.Summary);
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

        var (parameters, missing) = Restored(run, step, target);
        if (missing.Count > 0)
        {
            return ActionResult.Failure($"the configuration no longer holds the secret parameter(s) {string.Join(", ", missing)} of this step (the store keeps only {Redaction.Marker}); not run");
        }

        var journal = new StepJournal(store, _journal, step, incident, run, notices, time);
        using var span = RunTracing.StartStep(run, step);
        try
        {
            var result = await action.ExecuteAsync(new ActionContext(target, incident, run, step with { Parameters = parameters }, journal, time), cancellationToken);
            RunTracing.Finish(span, result);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-step: the step stays journalled as started, and recovery decides at the next start.
            throw;
        }
        catch (Exception ex) when (ex is not DeposedException)
        {
            // By design: a plug-in that throws is a failed step, recorded on the incident, never a dead executor. A
            // write refused because this replica's term is over is not the step's failure: the run stops here, unrecorded.
            var failure = ActionResult.Failure($"{step.Action} threw {ex.GetType().Name}: {ex.Message}");
            RunTracing.Finish(span, failure);
            return failure;
        }
    }

    private async Task FinishAsync(Incident incident, ActionRun run, ActionRunStatus status, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await _journal.WriteAsync($"the run's outcome ({status.ToName()})", run.Id, async ct =>
        {
            var steps = await store.GetStepsAsync(run.Id, ct);
            await using var tx = await store.BeginAsync(ct);
            var notRun = steps.Where(s => s.Status == StepStatus.Pending).ToList();
            foreach (var step in notRun)
            {
                // A run that succeeded with steps left ended early because the target recovered; the step says so.
                var why = status == ActionRunStatus.Succeeded ? $"not run: {reason}" : null;
                await tx.UpdateStepAsync(step with { Status = StepStatus.NotRun, Error = why ?? step.Error }, ct);
            }

            await tx.UpdateRunAsync(run with { Status = status, CompletedAt = now, Reason = reason }, ct);
            if (status == ActionRunStatus.Succeeded)
            {
                await tx.UpdateIncidentAsync(incident with { ActionCompletedAt = now }, ct);
                var early = reason is null ? "" : $": {reason}{NotRunText(notRun)}";
                await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.ActionCompleted, $"{run.Action.ToName()} completed (run {run.Id}){early}; watching for recovery"), ct);
            }
            else
            {
                await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.ActionCompleted, $"{run.Action.ToName()} {status.ToName()} (run {run.Id}): {reason}"), ct);
                await notices.RunFailedAsync(tx, incident, run, reason ?? status.ToName(), now, ct);
            }

            await tx.CommitAsync(ct);
        }, cancellationToken);
        ExecutorLog.RunDone(logger, run.Target, run.Id, status.ToName());
        metrics?.RunEnded(incident, run, ActionResults.Of(status, reason), now);
        RunTracing.Outcome(status, reason);
    }

    private static string NotRunText(List<ActionStep> notRun) =>
        notRun.Count == 0 ? "" : $"; not run: {string.Join(", ", notRun.Select(s => $"step {s.Number} ({s.Action})"))}";

    // The store holds the step with its secrets as ***; the action needs the real values, which only the configuration has.
    private static (IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Missing) Restored(ActionRun run, ActionStep step, TargetOptions target)
    {
        var plan = target.Plans.GetValueOrDefault(run.Action);
        var configured = plan is not null && step.Index < plan.Count && plan[step.Index].Action == step.Action ? plan[step.Index].Parameters : null;
        return Redaction.Restore(step.Parameters, configured);
    }

    // What ROLLBACK IN PROGRESS names as the version running and the one rolled back to: the first step's own reading,
    // when its action can preview (a deployment undo). Best effort and bounded: a preview that fails or is slow leaves
    // the fields out, and never holds the rollback back longer than PreviewTimeout.
    private async Task<StepPreview?> PreviewAsync(Incident incident, ActionRun run, ActionStep? first, TargetOptions? target, CancellationToken cancellationToken)
    {
        if (first is null || target is null || catalog.Find(first.Action) is not IStepPreview action)
        {
            return null;
        }

        var (parameters, missing) = Restored(run, first, target);
        if (missing.Count > 0)
        {
            return null;
        }

        using var limit = new CancellationTokenSource(PreviewTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        var journal = new StepJournal(store, _journal, first, incident, run, notices, time);
        try
        {
            return await action.PreviewAsync(new ActionContext(target, incident, run, first with { Parameters = parameters }, journal, time), linked.Token)
                .WaitAsync(PreviewTimeout, time, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // By design: the preview only words a message; the step reads, decides and reports its own failures.
            ExecutorLog.PreviewFailed(logger, run.Id, first.Number, first.Action, ex.Message);
            return null;
        }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    // The trace that carries the run out, for the incident report to point at; no detail when untraced, as before.
    private static string? TraceDetail(long runId) => RunTracing.CurrentTraceId() is { } traceId ? Json(new { runId, traceId }) : null;

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
