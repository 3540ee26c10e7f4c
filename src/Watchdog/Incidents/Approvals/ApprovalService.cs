using Microsoft.Extensions.Logging;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents.Approvals;

/// <summary>
/// Decides approvals (a person through the API, or <c>auto_approve_after</c>) and escalates the unanswered
/// ones. Everything it knows lives in the store, so a restarted daemon picks up where the last one stopped:
/// the escalation level is stored, and each level's notification has its own outbox key.
/// </summary>
internal sealed class ApprovalService(
    IWatchdogStore store,
    INotificationOutbox outbox,
    IApprovalOutcomeHandler outcomes,
    ApprovalSchedule schedule,
    ApprovalLinks links,
    TimeProvider time,
    ILogger<ApprovalService> logger)
{
    /// <summary>Who decided an approval that nobody answered in time.</summary>
    public const string AutoApprover = "auto";

    /// <summary>Escalation times are minutes apart; a few seconds late is well inside what a person notices.</summary>
    public static TimeSpan TickPeriod { get; } = TimeSpan.FromSeconds(5);

    public async Task<ApprovalDecision> DecideAsync(long id, bool approve, ApiCaller caller, string? comment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var current = await store.GetApprovalAsync(id, cancellationToken);
        if (current is null)
        {
            return ApprovalDecision.NotFound;
        }

        // Checked before the status, so a caller without the authority learns nothing about how it was decided.
        if (caller.Role < current.Required)
        {
            ApprovalLog.Forbidden(logger, caller.Name, caller.Role.ToName(), id, current.Target, current.Required.ToName());
            return new ApprovalDecision(ApprovalDecisionOutcome.Forbidden, current);
        }

        return await DecideAndHandOverAsync(id, approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected, caller.Name, comment, cancellationToken);
    }

    /// <summary>One tick: auto-approves what waited past its policy's limit and escalates the rest that are due.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Approval> pending;
        try
        {
            pending = await store.ListApprovalsAsync(ApprovalStatus.Pending, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // By design: swallow, the loop must survive a store outage and try again next tick.
            ApprovalLog.ListFailed(logger, exception);
            return;
        }

        foreach (var approval in pending)
        {
            try
            {
                await AdvanceAsync(approval, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // By design: one approval that cannot be advanced must not hold back the others.
                ApprovalLog.AdvanceFailed(logger, approval.Id, approval.Target, exception);
            }
        }
    }

    private async Task AdvanceAsync(Approval approval, CancellationToken cancellationToken)
    {
        var waited = time.GetUtcNow() - approval.RequestedAt;

        // Approving wins over escalating at the same moment: nobody should be paged for a question already answered.
        if (schedule.AutoApproveAfter(approval.Target) is { } limit && waited >= limit)
        {
            await DecideAndHandOverAsync(
                approval.Id, ApprovalStatus.AutoApproved, AutoApprover, $"nobody answered within {DurationText.Human(limit)}", cancellationToken);
            return;
        }

        var level = schedule.LevelDueAfter(waited);
        if (level > approval.EscalationLevel)
        {
            await EscalateAsync(approval.Id, level, cancellationToken);
        }
    }

    private async Task<ApprovalDecision> DecideAndHandOverAsync(
        long id, ApprovalStatus outcome, string decidedBy, string? comment, CancellationToken cancellationToken)
    {
        var decision = await RecordDecisionAsync(id, outcome, decidedBy, comment, cancellationToken);
        if (decision.Outcome is not (ApprovalDecisionOutcome.Approved or ApprovalDecisionOutcome.Rejected) || decision.Approval is not { } decided)
        {
            return decision;
        }

        var (action, required, status) = (decided.Action.ToName(), decided.Required.ToName(), KebabNames<ApprovalStatus>.Of(decided.Status));
        ApprovalLog.Decided(logger, decided.Id, decided.Target, action, required, status, decidedBy);
        try
        {
            // After the commit (and outside the transaction, which the executor needs to start its own):
            // the executor only ever hears of decisions that are durable.
            if (decision.Outcome == ApprovalDecisionOutcome.Approved)
            {
                await outcomes.OnApprovedAsync(decided, cancellationToken);
            }
            else
            {
                await outcomes.OnRejectedAsync(decided, cancellationToken);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // By design: the decision stands in the store whatever the executor does with it; failing the caller
            // here would invite a retry that, being idempotent, changes nothing.
            ApprovalLog.OutcomeHandlerFailed(logger, decided.Id, decided.Target, status, exception);
        }

        return decision;
    }

    private async Task<ApprovalDecision> RecordDecisionAsync(
        long id, ApprovalStatus outcome, string decidedBy, string? comment, CancellationToken cancellationToken)
    {
        await using var transaction = await store.BeginAsync(cancellationToken);

        // Read again now that this transaction has its turn: someone may have decided since the caller looked.
        var current = await store.GetApprovalAsync(id, cancellationToken);
        if (current is null)
        {
            return ApprovalDecision.NotFound;
        }

        if (current.Status != ApprovalStatus.Pending)
        {
            return Settled(current, outcome);
        }

        var now = time.GetUtcNow();
        var decided = current with { Status = outcome, DecidedAt = now, DecidedBy = decidedBy, Comment = comment };
        if (!await transaction.UpdateApprovalAsync(decided, ApprovalStatus.Pending, cancellationToken))
        {
            // Lost the race to another writer: answer as if it had come first, which it did.
            var winner = await store.GetApprovalAsync(id, cancellationToken) ?? current;
            return winner.Status == ApprovalStatus.Pending ? new ApprovalDecision(ApprovalDecisionOutcome.Conflict, winner) : Settled(winner, outcome);
        }

        var approved = outcome != ApprovalStatus.Rejected;
        await transaction.AppendEventAsync(
            new IncidentEvent(
                current.IncidentId,
                now,
                approved ? IncidentEventKind.Approved : IncidentEventKind.Rejected,
                $"Approval {id} ({current.Action.ToName()}) {KebabNames<ApprovalStatus>.Of(outcome)} by {decidedBy}" + (comment is null ? "" : $": {comment}"),
                ApprovalJson.Serialize(new { ApprovalId = id, Status = KebabNames<ApprovalStatus>.Of(outcome), By = decidedBy, Comment = comment })),
            cancellationToken);
        if (approved && await store.GetIncidentAsync(current.IncidentId, cancellationToken) is { } incident)
        {
            await transaction.UpdateIncidentAsync(incident with { ApprovedBy = decidedBy }, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ApprovalDecision(approved ? ApprovalDecisionOutcome.Approved : ApprovalDecisionOutcome.Rejected, decided);
    }

    private async Task EscalateAsync(long id, int level, CancellationToken cancellationToken)
    {
        await using var transaction = await store.BeginAsync(cancellationToken);
        var current = await store.GetApprovalAsync(id, cancellationToken);
        if (current is not { Status: ApprovalStatus.Pending } || current.EscalationLevel >= level)
        {
            return;
        }

        var now = time.GetUtcNow();
        var escalated = current with { EscalationLevel = level, LastEscalatedAt = now };
        if (!await transaction.UpdateApprovalAsync(escalated, ApprovalStatus.Pending, cancellationToken))
        {
            return;   // decided meanwhile: nobody needs paging any more
        }

        // After a long outage several levels fall due at once; everyone on them hears, in one message for the top level.
        var notify = schedule.NotifyOn(current.EscalationLevel + 1, level);
        var waited = now - current.RequestedAt;
        await transaction.AppendEventAsync(
            new IncidentEvent(
                current.IncidentId,
                now,
                IncidentEventKind.ApprovalEscalated,
                $"Approval {id} unanswered for {DurationText.Human(waited)}; escalated to level {level}, notified {ApprovalSchedule.Describe(notify)}",
                ApprovalJson.Serialize(new { ApprovalId = id, Level = level, Notify = notify })),
            cancellationToken);
        var message = ApprovalMessages.Escalated(escalated, level, new EscalationLevelOptions(schedule.Escalation[level].After, notify), links);
        await outbox.EnqueueAsync(transaction, current.IncidentId, ApprovalEventKeys.Level(id, level), message, now, cancellationToken, notify);
        await transaction.CommitAsync(cancellationToken);
        ApprovalLog.Escalated(logger, id, current.Target, DurationText.Human(waited), level, ApprovalSchedule.Describe(notify));
    }

    private static ApprovalDecision Settled(Approval current, ApprovalStatus asked)
    {
        var sameWay = asked == ApprovalStatus.Rejected
            ? current.Status == ApprovalStatus.Rejected
            : current.Status is ApprovalStatus.Approved or ApprovalStatus.AutoApproved;
        return new ApprovalDecision(sameWay ? ApprovalDecisionOutcome.AlreadyDecided : ApprovalDecisionOutcome.Conflict, current);
    }
}
