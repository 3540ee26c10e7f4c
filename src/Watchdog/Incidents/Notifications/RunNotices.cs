using System.Globalization;
using Watchdog.Actions;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents.Notifications;

/// <summary>The incident side's answer to the executor's <see cref="IRunNotices"/>: the runbook's messages, queued in the outbox under one key per run and event.</summary>
internal sealed class RunNotices(INotificationOutbox outbox, IWatchdogStore store) : IRunNotices
{
    private static readonly TimeSpan NextUpdateIn = TimeSpan.FromMinutes(15);

    public async Task RunSkippedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(run);
        var kind = run.Status == ActionRunStatus.DryRun ? "dry-run" : "skipped";
        await outbox.EnqueueAsync(transaction, incident.Id, $"incident/{incident.Id}/run/{run.Id}/{kind}", RunMessages.Skipped(incident, run, reason), at, cancellationToken);
    }

    public async Task RunStartedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, DateTimeOffset at, StepPreview? preview, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(run);
        var earlier = await store.ListRunsAsync(new RunQuery(Target: run.Target, Statuses: [ActionRunStatus.Succeeded]), cancellationToken);
        var message = RunMessages.InProgress(incident, run, at, RunEta.Of(run, earlier), preview);
        await outbox.EnqueueAsync(transaction, incident.Id, $"incident/{incident.Id}/run/{run.Id}/in-progress", message, at, cancellationToken);
    }

    public async Task RunFailedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, string issue, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(run);
        await outbox.EnqueueAsync(
            transaction, incident.Id, $"incident/{incident.Id}/run/{run.Id}/issues",
            RunMessages.IssuesDetected(incident, issue, "the rest of the plan was not run; on-call to decide the next step", at + NextUpdateIn),
            at, cancellationToken);
    }

    public async Task RunInterruptedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, ActionStep interruptedStep, string issue, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(interruptedStep);
        await outbox.EnqueueAsync(
            transaction, incident.Id, $"incident/{incident.Id}/run/{run.Id}/interrupted",
            RunMessages.IssuesDetected(incident, issue, $"check {interruptedStep.Action} by hand; the rest of the plan was not run", at + NextUpdateIn),
            at, cancellationToken);
    }

    public async Task StepAnnouncedAsync(IStoreTransaction transaction, Incident incident, ActionRun run, ActionStep step, string key, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(step);
        await outbox.EnqueueAsync(
            transaction, incident.Id, $"incident/{incident.Id}/run/{run.Id}/step/{step.Number}/{key}",
            RunMessages.StepProgress(incident, text, at), at, cancellationToken);
    }

    public async Task<int> ActionRequiredAsync(IStoreTransaction transaction, Incident incident, ActionRun run, ActionStep requestingStep, string? message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(requestingStep);
        var notice = new NotificationMessage(
            "action-required",
            $"{run.Action.ToName().ToUpperInvariant().Replace('-', ' ')} REQUIRED",
            [
                new("Environment", incident.Environment ?? "unknown"),
                new("Target", incident.Target),
                new("Rule", run.Rule),
                new("Reason", incident.TriggerSummary),
                new("Incident", incident.Id.ToString(CultureInfo.InvariantCulture)),
            ],
            message);
        return await outbox.EnqueueAsync(transaction, incident.Id, $"incident/{incident.Id}/run/{run.Id}/step/{requestingStep.Index}/notify", notice, at, cancellationToken);
    }
}
