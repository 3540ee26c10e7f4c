using Microsoft.Extensions.Logging;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Telemetry;

namespace Watchdog.Actions;

/// <summary>
/// Runs the executor did not finish by itself: those under way when the process stopped or when the store stayed
/// away (resumed, queued again or reported interrupted), and those waiting for an approval once it is decided
/// (queued or closed as rejected).
/// </summary>
/// <remarks>Logs under the executor's category, as it did before recovery was a class of its own, so log filters keep working.</remarks>
internal sealed class RunRecovery(
    IWatchdogStore store,
    ActionCatalog catalog,
    IRunNotices notices,
    ReadyRuns queue,
    TimeProvider time,
    ILogger<ActionExecutor> logger,
    WatchdogMetrics? metrics = null) : IApprovalOutcomeHandler
{
    /// <summary>
    /// At start-up: finds runs that were under way when the process stopped. A step journalled as started but
    /// never finished is run again only if its action is idempotent; otherwise the run is reported interrupted.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await CompleteHandOversAsync(cancellationToken);
        var running = await store.ListRunsAsync(new RunQuery(Statuses: [ActionRunStatus.Running]), cancellationToken);
        foreach (var run in running)
        {
            await RecoverRunAsync(run, cancellationToken);
        }
    }

    /// <summary>
    /// Approvals decided whose run never heard of it (the process stopped, or the store failed, between the decision's
    /// commit and the hand-over): the hand-over is done now. Cheap when there are none; the run worker calls it often.
    /// </summary>
    public async Task CompleteHandOversAsync(CancellationToken cancellationToken)
    {
        var waiting = await store.ListRunsAsync(new RunQuery(Statuses: [ActionRunStatus.AwaitingApproval]), cancellationToken);
        if (waiting.Count == 0)
        {
            return;
        }

        var decided = (await store.ListApprovalsAsync(null, cancellationToken)).Where(a => a.Status != ApprovalStatus.Pending).GroupBy(a => a.RunId).ToDictionary(g => g.Key, g => g.Last());
        foreach (var run in waiting.Where(r => decided.ContainsKey(r.Id)))
        {
            var approval = decided[run.Id];
            await (approval.Status == ApprovalStatus.Rejected ? OnRejectedAsync(approval, cancellationToken) : OnApprovedAsync(approval, cancellationToken));
        }
    }

    /// <summary>
    /// A run whose execution ended without its outcome in the store (the process stopped, or the store stayed away
    /// past its retry window): queued again when no step was under way; else its started step is run again if
    /// idempotent, or the run is reported interrupted. Nothing is done for a run no longer running.
    /// </summary>
    /// <returns>What was done, for the log.</returns>
    public async Task<string> RecoverRunAsync(long runId, CancellationToken cancellationToken) =>
        await store.GetRunAsync(runId, cancellationToken) is { Status: ActionRunStatus.Running } run
            ? await RecoverRunAsync(run, cancellationToken)
            : "nothing to do (the run is no longer running)";

    private async Task<string> RecoverRunAsync(ActionRun run, CancellationToken cancellationToken)
    {
        var steps = await store.GetStepsAsync(run.Id, cancellationToken);
        var started = steps.FirstOrDefault(s => s.Status == StepStatus.Started);
        if (started is null)
        {
            queue.Enqueue(run.Id);
            return "queued again (no step was under way)";
        }

        var action = catalog.Find(started.Action);
        var now = time.GetUtcNow();
        await using var tx = await store.BeginAsync(cancellationToken);
        if (action is { IsIdempotent: true })
        {
            await tx.UpdateStepAsync(started with { Status = StepStatus.Pending }, cancellationToken);
            await tx.AppendEventAsync(
                new IncidentEvent(run.IncidentId, now, IncidentEventKind.StepResumed, $"step {started.Number} ({started.Action}) was under way when Watchdog stopped; it is idempotent, so it runs again"),
                cancellationToken);
            await tx.CommitAsync(cancellationToken);
            ExecutorLog.Recovered(logger, run.Target, run.Id, started.Number, started.Action, "resumed (idempotent)");
            queue.Enqueue(run.Id);
            return $"step {started.Number} resumed (idempotent)";
        }

        var incident = await store.GetIncidentAsync(run.IncidentId, cancellationToken);
        var issue = $"step {started.Number} ({started.Action}) was under way when Watchdog stopped and may or may not have taken effect";
        await tx.UpdateStepAsync(started with { Status = StepStatus.Interrupted, CompletedAt = now, Error = "interrupted: not repeated automatically" }, cancellationToken);
        foreach (var later in steps.Where(s => s.Status == StepStatus.Pending))
        {
            await tx.UpdateStepAsync(later with { Status = StepStatus.NotRun }, cancellationToken);
        }

        await tx.UpdateRunAsync(run with { Status = ActionRunStatus.Interrupted, CompletedAt = now, Reason = issue }, cancellationToken);
        await tx.AppendEventAsync(new IncidentEvent(run.IncidentId, now, IncidentEventKind.StepInterrupted, $"{issue}; it is not repeated: check its effect by hand"), cancellationToken);
        if (incident is not null)
        {
            await notices.RunInterruptedAsync(tx, incident, run, started, issue, now, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        ExecutorLog.Recovered(logger, run.Target, run.Id, started.Number, started.Action, "interrupted (not idempotent, not repeated)");
        metrics?.RunEnded(incident, run, ActionResults.Interrupted, now);
        return $"step {started.Number} reported interrupted (not idempotent, not repeated)";
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
}
