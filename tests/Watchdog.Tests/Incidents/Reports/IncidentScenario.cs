using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Reports;

/// <summary>Incidents written into the in-memory store the way the incident manager and executor write them: phase by phase, each in a transaction.</summary>
internal static class IncidentScenario
{
    public static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// checkout in production: the error rate crosses 10%, the policy asks for a rollback with on-call approval,
    /// alice approves, the plan reduces a flag then undoes the deployment, the target stays healthy for 5 minutes,
    /// the incident closes. Ids: incident 1, decision 3, run 5, approval 6.
    /// </summary>
    public static async Task<long> SeedClosedRollbackAsync(IWatchdogStore store)
    {
        var incident = await WriteAsync(store, async tx =>
        {
            var opened = await tx.InsertIncidentAsync(
                new Incident
                {
                    Target = "checkout",
                    Policy = "checkout-slo",
                    Environment = "production",
                    BreachStartedAt = T0.AddSeconds(-30),
                    DetectedAt = T0,
                    TriggerRule = "error-rate-critical",
                    TriggerAction = DecisionAction.Rollback,
                    TriggerAuthority = Authority.OnCall,
                    TriggerSummary = "error_rate 12.5% > 10% for 30s",
                },
                default);
            await Event(tx, opened.Id, T0, IncidentEventKind.Detected, "error_rate 12.5% > 10% for 30s", """{"error_rate":0.125}""");
            await tx.InsertDecisionAsync(
                new DecisionRecord("checkout", "checkout-slo", T0, DecisionAction.Rollback, Authority.OnCall, false, "error-rate-critical",
                    "error_rate 12.5% > 10% for 30s", """{"rule":"error-rate-critical","values":{"error_rate":0.125}}""", opened.Id),
                default);
            await Event(tx, opened.Id, T0, IncidentEventKind.Decision, "rollback by on-call: error-rate-critical");
            return opened;
        });

        var requestedAt = T0.AddSeconds(5);
        var (run, approval) = await WriteAsync(store, async tx =>
        {
            var inserted = await tx.InsertRunAsync(
                new ActionRun
                {
                    IncidentId = incident.Id,
                    Target = "checkout",
                    Action = DecisionAction.Rollback,
                    Authority = Authority.OnCall,
                    Rule = "error-rate-critical",
                    Status = ActionRunStatus.AwaitingApproval,
                    CreatedAt = requestedAt,
                },
                default);
            await tx.InsertStepAsync(FlagStep(inserted.Id), default);
            await tx.InsertStepAsync(UndoStep(inserted.Id), default);
            var requested = await tx.InsertApprovalAsync(
                new Approval
                {
                    RunId = inserted.Id,
                    IncidentId = incident.Id,
                    Target = "checkout",
                    Action = DecisionAction.Rollback,
                    Required = Authority.OnCall,
                    RequestedAt = requestedAt,
                },
                default);
            await Event(tx, incident.Id, requestedAt, IncidentEventKind.ApprovalRequested, "rollback needs on-call or above");
            return (inserted, requested);
        });

        await WriteAsync(store, tx => Event(tx, incident.Id, T0.AddSeconds(6), IncidentEventKind.NotificationSent, "approval request to ops-alerts"));

        var approvedAt = T0.AddSeconds(110);
        await WriteAsync(store, async tx =>
        {
            await tx.UpdateApprovalAsync(approval with { Status = ApprovalStatus.Approved, DecidedAt = approvedAt, DecidedBy = "alice" }, ApprovalStatus.Pending, default);
            await Event(tx, incident.Id, approvedAt, IncidentEventKind.Approved, "alice approved rollback");
        });

        var startedAt = T0.AddSeconds(125);
        var flagDoneAt = T0.AddSeconds(129);
        var completedAt = T0.AddSeconds(210);
        incident = incident with { ActionStartedAt = startedAt, ApprovedBy = "alice" };
        run = run with { Status = ActionRunStatus.Running, StartedAt = startedAt };
        await WriteAsync(store, async tx =>
        {
            await tx.UpdateIncidentAsync(incident, default);
            await tx.UpdateRunAsync(run, default);
            await tx.UpdateStepAsync(FlagStep(run.Id) with { Status = StepStatus.Started, StartedAt = startedAt, Attempts = 1 }, default);
            await Event(tx, incident.Id, startedAt, IncidentEventKind.StepStarted, "flag-reduce checkout-v2");
        });
        await WriteAsync(store, async tx =>
        {
            await tx.UpdateStepAsync(
                FlagStep(run.Id) with { Status = StepStatus.Succeeded, StartedAt = startedAt, CompletedAt = flagDoneAt, Attempts = 1, Result = """{"before":50,"after":0}""" },
                default);
            await Event(tx, incident.Id, flagDoneAt, IncidentEventKind.StepSucceeded, "flag checkout-v2 50% → 0%");
            await tx.UpdateStepAsync(UndoStep(run.Id) with { Status = StepStatus.Started, StartedAt = flagDoneAt, Attempts = 1 }, default);
            await Event(tx, incident.Id, flagDoneAt, IncidentEventKind.StepStarted, "deployment-undo checkout");
        });
        incident = incident with
        {
            ActionCompletedAt = completedAt,
            BeforeState = "checkout:v5-bad (revision 5)",
            AfterState = "checkout:v4 (revision 6, was 4)",
        };
        await WriteAsync(store, async tx =>
        {
            await tx.UpdateStepAsync(
                UndoStep(run.Id) with { Status = StepStatus.Succeeded, StartedAt = flagDoneAt, CompletedAt = completedAt, Attempts = 1, Result = """{"fromRevision":5,"toRevision":4}""" },
                default);
            await Event(tx, incident.Id, completedAt, IncidentEventKind.StepSucceeded, "deployment/checkout revision 5 → 4");
            await tx.UpdateRunAsync(run with { Status = ActionRunStatus.Succeeded, CompletedAt = completedAt }, default);
            await tx.UpdateIncidentAsync(incident, default);
            await Event(tx, incident.Id, completedAt, IncidentEventKind.ActionCompleted, "rollback succeeded, 2 steps");
        });

        await WriteAsync(store, tx => Event(tx, incident.Id, T0.AddSeconds(211), IncidentEventKind.NotificationSent, "ROLLBACK COMPLETE to ops-alerts"));

        var healthyAt = T0.AddSeconds(510);
        await WriteAsync(store, async tx =>
        {
            await tx.UpdateIncidentAsync(
                incident with { VerifiedHealthyAt = healthyAt, ClosedAt = healthyAt, Status = IncidentStatus.Closed, CloseReason = "recovered", ClosedBy = "watchdog" },
                default);
            await Event(tx, incident.Id, healthyAt, IncidentEventKind.VerifiedHealthy, "healthy for 5m after the last action");
            await Event(tx, incident.Id, healthyAt, IncidentEventKind.Closed, "recovered");
        });
        return incident.Id;
    }

    /// <summary>payments, detected at <paramref name="detectedAt"/>: a rollback waiting for a team lead, nothing done yet.</summary>
    public static Task<long> SeedOpenAwaitingApprovalAsync(IWatchdogStore store, DateTimeOffset detectedAt) =>
        WriteAsync(store, async tx =>
        {
            var incident = await tx.InsertIncidentAsync(
                new Incident
                {
                    Target = "payments",
                    Policy = "payments-slo",
                    DetectedAt = detectedAt,
                    TriggerRule = "latency-p99-high",
                    TriggerAction = DecisionAction.Rollback,
                    TriggerAuthority = Authority.TeamLead,
                    TriggerSummary = "latency_p99 2.4s > 1s for 2m",
                },
                default);
            await Event(tx, incident.Id, detectedAt, IncidentEventKind.Detected, "latency_p99 2.4s > 1s for 2m");
            var run = await tx.InsertRunAsync(
                new ActionRun
                {
                    IncidentId = incident.Id,
                    Target = "payments",
                    Action = DecisionAction.Rollback,
                    Authority = Authority.TeamLead,
                    Rule = "latency-p99-high",
                    Status = ActionRunStatus.AwaitingApproval,
                    CreatedAt = detectedAt.AddSeconds(2),
                },
                default);
            await tx.InsertApprovalAsync(
                new Approval
                {
                    RunId = run.Id,
                    IncidentId = incident.Id,
                    Target = "payments",
                    Action = DecisionAction.Rollback,
                    Required = Authority.TeamLead,
                    RequestedAt = detectedAt.AddSeconds(2),
                },
                default);
            await Event(tx, incident.Id, detectedAt.AddSeconds(2), IncidentEventKind.ApprovalRequested, "rollback needs team-lead or above");
            await Event(tx, incident.Id, detectedAt.AddMinutes(15).AddSeconds(2), IncidentEventKind.ApprovalEscalated, "no answer after 15m; escalated to level 1");
            return incident.Id;
        });

    public static async Task<T> WriteAsync<T>(IWatchdogStore store, Func<IStoreTransaction, Task<T>> write)
    {
        await using var tx = await store.BeginAsync(default);
        var result = await write(tx);
        await tx.CommitAsync(default);
        return result;
    }

    public static Task WriteAsync(IWatchdogStore store, Func<IStoreTransaction, Task> write) =>
        WriteAsync(store, async tx =>
        {
            await write(tx);
            return 0;
        });

    private static Task<IncidentEvent> Event(IStoreTransaction tx, long incidentId, DateTimeOffset at, string kind, string summary, string? detail = null) =>
        tx.AppendEventAsync(new IncidentEvent(incidentId, at, kind, summary, detail), default);

    private static ActionStep FlagStep(long runId) =>
        new(runId, 0, "flag-reduce", new Dictionary<string, string> { ["percent"] = "0", ["flag"] = "checkout-v2" });

    private static ActionStep UndoStep(long runId) =>
        new(runId, 1, "deployment-undo", new Dictionary<string, string> { ["deployment"] = "checkout" });
}
