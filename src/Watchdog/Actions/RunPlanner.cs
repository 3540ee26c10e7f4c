using System.Text.Json;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Actions;

/// <summary>
/// Turns a conclusive decision into a run of the target's plan, journalled with its steps before anything runs:
/// queued at once when automatic, else waiting for approval; recorded as a dry run or as held back by a safety rail
/// (once, with its reason) when it must not run. <see cref="ActionExecutor"/> carries the run out.
/// </summary>
/// <remarks>Logs under the executor's category, as it did before planning was a class of its own, so log filters keep working.</remarks>
internal sealed class RunPlanner(
    IWatchdogStore store,
    IApprovalRequests approvals,
    IRunNotices notices,
    ReadyRuns queue,
    TimeProvider time,
    ILogger<ActionExecutor> logger)
{
    private static readonly ActionRunStatus[] Active = [ActionRunStatus.AwaitingApproval, ActionRunStatus.Running];

    /// <summary>How the reason of a run held back because its plan already ran in the incident begins.</summary>
    public const string NotRepeated = "not repeated";

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

        // One automatic attempt per plan and incident: a plan that ran to the end and left the target unhealthy is
        // not run again on its own (a second undo would go back further still); the not-recovered report and its
        // escalation hand the incident to people. Said on the timeline once, not paged: that report is the page.
        if (ofIncident.LastOrDefault(r => r.Action == decision.Action && r.Status == ActionRunStatus.Succeeded) is { } done)
        {
            return await SkipOnceAsync(incident, run, ofIncident, $"{NotRepeated}: {decision.Action.ToName()} already ran to the end in this incident (run {done.Id}) and {target.Name} did not recover; not run again automatically", cancellationToken, page: false);
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
            await tx.InsertStepAsync(new ActionStep(stored.Id, i, plan[i].Action, Redaction.Parameters(plan[i].Parameters)), cancellationToken);
        }

        var steps = string.Join(", ", plan.Select(s => s.Action));
        await tx.AppendEventAsync(
            new IncidentEvent(incident.Id, now, IncidentEventKind.ActionPlanned, $"{decision.Action.ToName()} planned by {run.Rule} (authority {decision.Authority.ToName()}): {steps}", Json(new { runId = stored.Id, steps = Shown(plan) })),
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

    private async Task<ActionRun?> RecordDryRunAsync(Incident incident, ActionRun run, IReadOnlyList<PlanStepOptions> plan, CancellationToken cancellationToken)
    {
        var now = run.CreatedAt;
        var reason = $"dry run: would run {string.Join(", ", plan.Select(s => s.Action))}";
        await using var tx = await store.BeginAsync(cancellationToken);
        var stored = await tx.InsertRunAsync(run with { Status = ActionRunStatus.DryRun, CompletedAt = now, Reason = reason }, cancellationToken);
        for (var i = 0; i < plan.Count; i++)
        {
            await tx.InsertStepAsync(new ActionStep(stored.Id, i, plan[i].Action, Redaction.Parameters(plan[i].Parameters)) { Status = StepStatus.SkippedDryRun }, cancellationToken);
        }

        await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.ActionSkipped, $"{run.Action.ToName()} by {run.Rule}: {reason}", Json(new { runId = stored.Id, steps = Shown(plan) })), cancellationToken);
        await notices.RunSkippedAsync(tx, incident, stored, reason, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        ExecutorLog.Planned(logger, run.Target, incident.Id, run.Action.ToName(), plan.Count, run.Authority.ToName(), stored.Id, ", dry run: nothing changed");
        return stored;
    }

    // A rail that holds is reported once per incident and kind of reason (cooldown, budget, ...), however often it
    // holds again later in the incident: a page that repeats every cooldown period teaches people to mute it.
    private async Task<ActionRun?> SkipOnceAsync(Incident incident, ActionRun run, IReadOnlyList<ActionRun> ofIncident, string reason, CancellationToken cancellationToken, bool page = true)
    {
        var kind = reason[..reason.IndexOf(':', StringComparison.Ordinal)];
        if (ofIncident.Any(r => r.Action == run.Action && r.Status == ActionRunStatus.Skipped && r.Reason?.StartsWith(kind + ":", StringComparison.Ordinal) == true))
        {
            return null;
        }

        var now = run.CreatedAt;
        await using var tx = await store.BeginAsync(cancellationToken);
        var stored = await tx.InsertRunAsync(run with { Status = ActionRunStatus.Skipped, CompletedAt = now, Reason = reason }, cancellationToken);
        await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.ActionSkipped, $"{run.Action.ToName()} by {run.Rule} not run: {reason}"), cancellationToken);
        if (page)
        {
            await notices.RunSkippedAsync(tx, incident, stored, reason, now, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        ExecutorLog.Skipped(logger, run.Target, incident.Id, run.Action.ToName(), reason);
        return stored;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    // The plan as the timeline keeps it; the real parameters stay in the configuration (see ActionExecutor.InvokeAsync).
    private static IEnumerable<PlanStepOptions> Shown(IReadOnlyList<PlanStepOptions> plan) =>
        plan.Select(step => step with { Parameters = Redaction.Parameters(step.Parameters) });
}
