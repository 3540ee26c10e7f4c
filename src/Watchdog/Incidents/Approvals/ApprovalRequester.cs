using Watchdog.Actions;
using Watchdog.Incidents.Notifications;
using Watchdog.Rules;
using Watchdog.Store;

namespace Watchdog.Incidents.Approvals;

/// <summary>
/// The executor's way in: records a pending approval for a run inside the executor's own transaction, so the
/// run, the approval, its timeline entry and the level-0 notification are committed together or not at all.
/// Kept apart from <see cref="ApprovalService"/> because that one calls the executor back
/// (<see cref="IApprovalOutcomeHandler"/>): one class for both would make a dependency cycle.
/// </summary>
internal sealed class ApprovalRequester(INotificationOutbox outbox, ApprovalSchedule schedule, TimeProvider time)
{
    /// <param name="run">An inserted run (it has its id) whose authority is above <c>automatic</c>.</param>
    public async Task<Approval> RequestAsync(IStoreTransaction transaction, ActionRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Id <= 0)
        {
            throw new ArgumentException("Insert the run before requesting its approval.", nameof(run));
        }

        if (run.Authority == Authority.Automatic)
        {
            throw new ArgumentException("An automatic run needs no approval.", nameof(run));
        }

        var now = time.GetUtcNow();
        var approval = await transaction.InsertApprovalAsync(
            new Approval
            {
                RunId = run.Id,
                IncidentId = run.IncidentId,
                Target = run.Target,
                Action = run.Action,
                Required = run.Authority,
                Status = ApprovalStatus.Pending,
                RequestedAt = now,
                EscalationLevel = 0,
            },
            cancellationToken);

        var notify = schedule.NotifyOn(0, 0);
        await transaction.AppendEventAsync(
            new IncidentEvent(
                run.IncidentId,
                now,
                IncidentEventKind.ApprovalRequested,
                $"Approval {approval.Id} requested: {run.Action.ToName()} needs {run.Authority.ToName()} or above; notified {ApprovalMessages.NotifyText(notify)}",
                ApprovalJson.Serialize(new { ApprovalId = approval.Id, Required = run.Authority.ToName(), Level = 0, Notify = notify })),
            cancellationToken);
        await outbox.EnqueueAsync(
            transaction, run.IncidentId, ApprovalMessages.EventKey(approval.Id, 0), ApprovalMessages.Requested(approval, run.Rule, notify), now, cancellationToken);
        return approval;
    }
}
