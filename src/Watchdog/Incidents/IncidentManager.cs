using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents;

/// <summary>
/// What each decision means for a target's incident: the first decision other than none/inconclusive opens
/// one, later changes are added to its timeline, an actionable decision goes to the run planner, and once the
/// target has been healthy (a conclusive none) for its recovery window after the last action, the incident
/// closes as recovered. After a successful action the target settles (<see cref="Settling"/>): a rule that still holds
/// is recorded but proposes and pages nothing until the metrics have had time to follow.
/// </summary>
internal sealed class IncidentManager(
    IWatchdogStore store,
    RunPlanner planner,
    INotificationOutbox outbox,
    TimeProvider time,
    ILogger<IncidentManager> logger,
    ApprovalOptions? escalation = null,
    QuietTargets? quiet = null)
{
    private readonly QuietTargets _quiet = quiet ?? new QuietTargets();

    private readonly IReadOnlyList<EscalationLevelOptions> _escalation = (escalation ?? new ApprovalOptions()).Escalation;

    private static readonly ActionRunStatus[] Active = [ActionRunStatus.AwaitingApproval, ActionRunStatus.Running];
    private const int HeldRulesLookback = 1000;
    private readonly ConcurrentDictionary<string, Decision> _lastRecorded = new(StringComparer.Ordinal);

    // Since when each target has been healthy. In memory on purpose: after a restart the window starts
    // again, which can only delay closing an incident, never close one early.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _healthySince = new(StringComparer.Ordinal);

    /// <summary>Raised after an incident closes, e.g. to write its report.</summary>
    public event Func<Incident, CancellationToken, Task>? IncidentClosed;

    /// <summary>Records and acts on one decision; <paramref name="state"/> is the evaluation it came from, for its explanation.</summary>
    public async Task OnDecisionAsync(TargetOptions target, CompiledPolicy policy, PolicyState state, Decision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(policy);
        var changed = !_lastRecorded.TryGetValue(target.Name, out var last) || !last.SaysTheSameAs(decision);
        var actionable = decision.Action != DecisionAction.None && !decision.IsInconclusive;
        var open = _quiet.HasNoOpenIncident(target.Name) ? null : await store.GetOpenIncidentAsync(target.Name, cancellationToken);
        if (open is null)
        {
            _quiet.MarkNoOpenIncident(target.Name);
        }

        var healthy = decision.Action == DecisionAction.None && !decision.IsInconclusive;
        var recovering = healthy || (open is not null && decision.Action == DecisionAction.None && await HeldRulesAreFalseAsync(open, policy, state, cancellationToken));
        var settling = Settling.IsSettling(open, target, policy, decision.At);
        if (!recovering)
        {
            _healthySince.TryRemove(target.Name, out _);
        }

        if (actionable)
        {
            var explanation = policy.Explain(state);
            if (open is null)
            {
                _quiet.Disturb(target.Name);
                open = await OpenAsync(target, policy, decision, explanation, cancellationToken);
            }
            else if (changed)
            {
                await RecordAsync(target, policy, decision, explanation, open, cancellationToken);
            }

            _lastRecorded[target.Name] = decision;
            if (settling)
            {
                await NoteSettlingAsync(target, policy, open, decision, cancellationToken);
                return;
            }

            await ReportIfNotRecoveredAsync(target, open, cancellationToken);
            await planner.ProposeAsync(open, target, decision, cancellationToken);
            return;
        }

        if (changed)
        {
            await RecordAsync(target, policy, decision, policy.Explain(state), open, cancellationToken);
            _lastRecorded[target.Name] = decision;
        }

        if (open is not null && recovering)
        {
            var since = _healthySince.GetOrAdd(target.Name, decision.At);
            await CloseIfRecoveredAsync(target, open, since, healthy ? null : StillUnknown(policy, state), cancellationToken);
        }
        else if (open is not null && !settling)
        {
            await ReportIfNotRecoveredAsync(target, open, cancellationToken);
        }
    }

    // Said once per action on the timeline, so the record shows why a rule that held right after the action did nothing.
    private async Task NoteSettlingAsync(TargetOptions target, CompiledPolicy policy, Incident incident, Decision decision, CancellationToken cancellationToken)
    {
        var until = Settling.Until(incident, target, policy)!.Value;
        var key = $"incident/{incident.Id}/settling/{incident.ActionCompletedAt!.Value.ToUnixTimeMilliseconds()}";
        var timeline = await store.GetTimelineAsync(incident.Id, cancellationToken);
        if (timeline.Any(e => e.Kind == IncidentEventKind.Settling && e.Detail == key))
        {
            return;
        }

        var twice = $"2 x interval {DurationText.Human(target.Interval)}";
        var why = policy.LongestFor > TimeSpan.Zero ? $"longest for {DurationText.Human(policy.LongestFor)} + {twice}" : twice;
        var text = $"settling until {MessageFormat.Timestamp(until)} ({why}): {decision.RuleId ?? "a rule"} still holds, nothing proposed while the metrics catch up";
        await using var tx = await store.BeginAsync(cancellationToken);
        await tx.AppendEventAsync(new IncidentEvent(incident.Id, decision.At, IncidentEventKind.Settling, text, key), cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    // The verify window: an action that completed but left the target unhealthy for the recovery window is
    // reported once per action (the runbook's "post-rollback issues"), so people know it did not help; then, while it
    // stays so, once to each later escalation level (the approvals' levels, timed from that report), never again to all.
    private async Task ReportIfNotRecoveredAsync(TargetOptions target, Incident incident, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (incident.ActionCompletedAt is not { } completed || now - completed < target.RecoveryWindow)
        {
            return;
        }

        var key = NotRecoveredKey(incident.Id, completed);
        var timeline = await store.GetTimelineAsync(incident.Id, cancellationToken);
        var reported = timeline.FirstOrDefault(e => e.Kind == IncidentEventKind.NotRecovered && e.Detail == key);
        if (reported is null)
        {
            var issue = $"{incident.Target} is still not healthy {DurationText.Human(now - completed)} after the action completed";
            await using var tx = await store.BeginAsync(cancellationToken);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.NotRecovered, issue, key), cancellationToken);
            await outbox.EnqueueAsync(tx, incident.Id, key, RunMessages.IssuesDetected(incident, issue, "on-call to investigate; the same plan is not run again in this incident", NextUpdate(now, 0)), now, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return;
        }

        var level = EscalationLevelAt(now - reported.At);
        if (level == 0 || timeline.Any(e => e.Kind == IncidentEventKind.NotRecovered && e.Detail == $"{key}/level/{level}"))
        {
            return;
        }

        var notify = _escalation[level].Notify;
        var escalated = $"{incident.Target} is still not healthy {DurationText.Human(now - completed)} after the action completed; escalated to {string.Join(", ", notify)}";
        await using (var tx = await store.BeginAsync(cancellationToken))
        {
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.NotRecovered, escalated, $"{key}/level/{level}"), cancellationToken);
            await outbox.EnqueueAsync(tx, incident.Id, $"{key}/level/{level}", RunMessages.IssuesDetected(incident, escalated, $"{string.Join(", ", notify)} to take over", NextUpdate(reported.At, level)), now, cancellationToken, notify);
            await tx.CommitAsync(cancellationToken);
        }
    }

    private static string NotRecoveredKey(long incidentId, DateTimeOffset actionCompleted) =>
        $"incident/{incidentId}/not-recovered/{actionCompleted.ToUnixTimeMilliseconds()}";

    // The highest escalation level whose time has come, 0 while only the first (told at once) has.
    private int EscalationLevelAt(TimeSpan waited)
    {
        var level = 0;
        for (var i = 1; i < _escalation.Count; i++)
        {
            if (_escalation[i].After <= waited)
            {
                level = i;
            }
        }

        return level;
    }

    // The next escalation level's time, or 15 minutes on when there is none, for the message's "Next Update".
    private DateTimeOffset NextUpdate(DateTimeOffset reportedAt, int level) =>
        level + 1 < _escalation.Count ? reportedAt + _escalation[level + 1].After : time.GetUtcNow() + TimeSpan.FromMinutes(15);

    /// <summary>Closes an incident by hand (an operator's call); false when it is unknown or already closed.</summary>
    public async Task<bool> CloseAsync(long incidentId, string by, string? comment, CancellationToken cancellationToken)
    {
        var incident = await store.GetIncidentAsync(incidentId, cancellationToken);
        if (incident is not { Status: IncidentStatus.Open })
        {
            return false;
        }

        var now = time.GetUtcNow();
        var closed = incident with { Status = IncidentStatus.Closed, ClosedAt = now, CloseReason = "manual", ClosedBy = by };
        await using (var tx = await store.BeginAsync(cancellationToken))
        {
            await tx.UpdateIncidentAsync(closed, cancellationToken);
            await tx.AppendEventAsync(new IncidentEvent(incidentId, now, IncidentEventKind.Closed, $"closed by hand by {by}{(comment is null ? "" : $": {comment}")}"), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        IncidentLog.Closed(logger, closed.Target, incidentId, $"manual, by {by}");
        await RaiseClosedAsync(closed, cancellationToken);
        return true;
    }

    private async Task<Incident> OpenAsync(TargetOptions target, CompiledPolicy policy, Decision decision, DecisionExplanation explanation, CancellationToken cancellationToken)
    {
        await using var tx = await store.BeginAsync(cancellationToken);
        var existing = await tx.GetOpenIncidentAsync(target.Name, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var incident = await tx.InsertIncidentAsync(
            new Incident
            {
                Target = target.Name,
                Policy = policy.Name,
                Environment = EnvironmentOf(target),
                BreachStartedAt = decision.BreachStartedAt ?? decision.At,
                DetectedAt = decision.At,
                TriggerRule = decision.RuleId ?? "",
                TriggerAction = decision.Action,
                TriggerAuthority = decision.Authority,
                TriggerSummary = explanation.Summary,
            },
            cancellationToken);
        await tx.AppendEventAsync(new IncidentEvent(incident.Id, decision.At, IncidentEventKind.Detected, $"issue detected: {explanation.Summary}", ExplanationJson(explanation)), cancellationToken);
        await tx.InsertDecisionAsync(Record(target, policy, decision, explanation, incident.Id), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        IncidentLog.Opened(logger, target.Name, incident.Id, incident.TriggerRule, explanation.Summary);
        return incident;
    }

    private async Task RecordAsync(TargetOptions target, CompiledPolicy policy, Decision decision, DecisionExplanation explanation, Incident? open, CancellationToken cancellationToken)
    {
        await using var tx = await store.BeginAsync(cancellationToken);
        await tx.InsertDecisionAsync(Record(target, policy, decision, explanation, open?.Id), cancellationToken);
        if (open is not null)
        {
            await tx.AppendEventAsync(new IncidentEvent(open.Id, decision.At, IncidentEventKind.Decision, $"decision: {explanation.Summary}", ExplanationJson(explanation)), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    // An incident closes on what opened it: the rules that held during it (the trigger and every later actionable
    // decision) must all be conclusively false; a signal unknown for another rule must not hold it open for ever.
    private async Task<bool> HeldRulesAreFalseAsync(Incident incident, CompiledPolicy policy, PolicyState state, CancellationToken cancellationToken)
    {
        var decisions = await store.ListDecisionsAsync(incident.Target, incident.Id, HeldRulesLookback, cancellationToken);
        var held = decisions.Where(d => d.Action != DecisionAction.None && !d.Inconclusive && d.Rule is not null).Select(d => d.Rule!)
            .Append(incident.TriggerRule).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return held.Count > 0 && held.All(id => policy.RuleTruth(id, state) == Truth.False);
    }

    private static string StillUnknown(CompiledPolicy policy, PolicyState state)
    {
        var unknown = policy.Signals.Where((_, i) => state.Values[i].State is SignalState.NoData or SignalState.Error).ToList();
        return unknown.Count == 0 ? "" : $"; still unknown, not holding it open: {string.Join(", ", unknown)}";
    }

    private async Task CloseIfRecoveredAsync(TargetOptions target, Incident incident, DateTimeOffset healthySince, string? unknownNote, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var runs = await store.ListRunsAsync(new RunQuery(IncidentId: incident.Id), cancellationToken);
        if (runs.Any(r => r.Status == ActionRunStatus.Running))
        {
            return;
        }

        var lastAction = runs.Where(SafetyRails.Executed).Select(r => r.CompletedAt ?? r.StartedAt ?? r.CreatedAt).DefaultIfEmpty(incident.DetectedAt).Max();
        var windowStart = healthySince > lastAction ? healthySince : lastAction;
        if (now - windowStart < target.RecoveryWindow)
        {
            return;
        }

        var acted = runs.Any(r => r.Status == ActionRunStatus.Succeeded);

        // Reported not recovered after its last action, the target got well some other way (a person's fix, a late
        // recovery): what runs now may not be what the action left, so ROLLBACK COMPLETE leaves the version out.
        var actionLeftIt = incident.ActionCompletedAt is not { } completed || !(await store.GetTimelineAsync(incident.Id, cancellationToken))
            .Any(e => e.Kind == IncidentEventKind.NotRecovered && e.Detail == NotRecoveredKey(incident.Id, completed));
        var closed = incident with
        {
            Status = IncidentStatus.Closed,
            VerifiedHealthyAt = now,
            ClosedAt = now,
            CloseReason = "recovered",
        };
        await using (var tx = await store.BeginAsync(cancellationToken))
        {
            foreach (var waiting in runs.Where(r => r.Status == ActionRunStatus.AwaitingApproval))
            {
                // Nobody needs to approve a rollback of a target that recovered on its own.
                await tx.UpdateRunAsync(waiting with { Status = ActionRunStatus.Rejected, CompletedAt = now, Reason = "target recovered before the approval was decided" }, cancellationToken);
                foreach (var approval in (await store.ListApprovalsAsync(ApprovalStatus.Pending, cancellationToken)).Where(a => a.RunId == waiting.Id))
                {
                    await tx.UpdateApprovalAsync(approval with { Status = ApprovalStatus.Rejected, DecidedAt = now, DecidedBy = "watchdog", Comment = "target recovered" }, ApprovalStatus.Pending, cancellationToken);
                }
            }

            await tx.UpdateIncidentAsync(closed, cancellationToken);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.VerifiedHealthy, $"healthy for {DurationText.Human(now - windowStart)} since {MessageFormat.Timestamp(windowStart)}{unknownNote}"), cancellationToken);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, now, IncidentEventKind.Closed, "closed: recovered"), cancellationToken);
            if (acted)
            {
                await outbox.EnqueueAsync(tx, incident.Id, $"incident/{incident.Id}/complete", RunMessages.Complete(actionLeftIt ? closed : closed with { AfterState = null }), now, cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }

        IncidentLog.Closed(logger, target.Name, incident.Id, "recovered");
        await RaiseClosedAsync(closed, cancellationToken);
    }

    private async Task RaiseClosedAsync(Incident closed, CancellationToken cancellationToken)
    {
        if (IncidentClosed is { } handlers)
        {
            await handlers(closed, cancellationToken);
        }
    }

    private static DecisionRecord Record(TargetOptions target, CompiledPolicy policy, Decision decision, DecisionExplanation explanation, long? incidentId) =>
        new(target.Name, policy.Name, decision.At, decision.Action, decision.Authority, decision.IsInconclusive, decision.RuleId, explanation.Summary, ExplanationJson(explanation), incidentId);

    private static string ExplanationJson(DecisionExplanation explanation) => JsonSerializer.Serialize(new
    {
        summary = explanation.Summary,
        signals = explanation.Signals.Select(s => new { s.Signal, state = s.State.ToString(), s.Value, s.Error, s.Note }),
        rules = explanation.Rules.Select(r => new { r.Id, source = r.Source.ToString(), truth = r.Truth.ToString(), r.SuppressedByCooldown, r.Condition }),
        treePath = explanation.TreePath,
    }, SignalNumberJsonConverter.Options);

    private static string? EnvironmentOf(TargetOptions target) =>
        target.Environment ?? target.Variables.GetValueOrDefault("environment") ?? target.Variables.GetValueOrDefault("namespace");

}
