using Watchdog.Actions;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents.Approvals;

/// <summary>
/// The executor's way in: records a pending approval inside the executor's own transaction, so the run, the
/// approval, its timeline entry and the on-call notification are committed together or not at all. Kept apart
/// from <see cref="ApprovalService"/> because that one calls the executor back (<see cref="IApprovalOutcomeHandler"/>):
/// one class for both would make a dependency cycle.
/// </summary>
internal sealed class ApprovalRequester(INotificationOutbox outbox, ApprovalSchedule schedule, ApprovalLinks links) : IApprovalRequests
{
    /// <param name="pending">For an inserted run (it has its id), with a required authority above <c>automatic</c>; its status and escalation level are reset.</param>
    /// <param name="ruleSummary">The values and thresholds that made the rule fire, for the message.</param>
    public async Task<Approval> RequestAsync(
        IStoreTransaction transaction, Approval pending, Incident incident, string ruleSummary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(incident);
        if (pending.RunId <= 0)
        {
            throw new ArgumentException("Insert the run before requesting its approval.", nameof(pending));
        }

        if (pending.Required == Authority.Automatic)
        {
            throw new ArgumentException("An automatic action needs no approval.", nameof(pending));
        }

        var now = pending.RequestedAt;
        var approval = await transaction.InsertApprovalAsync(
            pending with { Status = ApprovalStatus.Pending, EscalationLevel = 0, LastEscalatedAt = null, DecidedAt = null, DecidedBy = null },
            cancellationToken);

        var notify = schedule.NotifyOn(0, 0);
        await transaction.AppendEventAsync(
            new IncidentEvent(
                approval.IncidentId,
                now,
                IncidentEventKind.ApprovalRequested,
                $"Approval {approval.Id} requested: {approval.Action.ToName()} needs {approval.Required.ToName()} or above; notified {ApprovalSchedule.Describe(notify)}",
                ApprovalJson.Serialize(new { ApprovalId = approval.Id, Required = approval.Required.ToName(), Level = 0, Notify = notify })),
            cancellationToken);
        await outbox.EnqueueAsync(
            transaction, approval.IncidentId, ApprovalEventKeys.Level(approval.Id, 0), ApprovalMessages.Requested(approval, incident.TriggerRule, ruleSummary, links), now, cancellationToken, notify);
        return approval;
    }
}
