using Microsoft.Extensions.Time.Testing;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Incidents.Approvals;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Approvals;

/// <summary>A store, a clock and recording fakes around the approval services; <see cref="Service"/> makes a fresh instance each call, as a restart would.</summary>
internal sealed class ApprovalScenario
{
    public const string Rule = "db-migration-errors";

    public const string Values = "migration_errors 3 > 0";

    public FakeTimeProvider Time { get; } = TestClock.Create();

    public InMemoryWatchdogStore Store { get; } = new();

    public RecordingNotificationOutbox Outbox { get; } = new();

    public RecordingApprovalOutcomeHandler Executor { get; } = new();

    public RecordingLogger<ApprovalService> Log { get; } = new();

    /// <summary>Per target; a target not listed keeps waiting.</summary>
    public Dictionary<string, TimeSpan> AutoApproveAfter { get; } = new(StringComparer.Ordinal);

    public ApprovalSchedule Schedule => new(
        ApprovalOptions.RunbookEscalation, target => AutoApproveAfter.TryGetValue(target, out var after) ? after : null);

    public static ApprovalLinks Links { get; } = new("https://watchdog.example.com");

    public ApprovalService Service() => new(Store, Outbox, Executor, Schedule, Links, Time, Log);

    public Task<Approval> RequestAsync(Authority required, string target = "checkout") =>
        RequestAsync(Store, new ApprovalRequester(Outbox, Schedule, Links), Time, required, target);

    /// <summary>Opens an incident (or reuses the open one), inserts a run waiting for approval and requests the approval, in one transaction, as the executor does.</summary>
    public static async Task<Approval> RequestAsync(IWatchdogStore store, IApprovalRequests requester, TimeProvider time, Authority required, string target = "checkout")
    {
        var now = time.GetUtcNow();
        await using var transaction = await store.BeginAsync(CancellationToken.None);
        var incident = await transaction.GetOpenIncidentAsync(target, CancellationToken.None) ?? await transaction.InsertIncidentAsync(
            new Incident
            {
                Target = target,
                Policy = "database-changes",
                DetectedAt = now,
                TriggerRule = Rule,
                TriggerAction = DecisionAction.Rollback,
                TriggerAuthority = required,
                TriggerSummary = Values,
            },
            CancellationToken.None);
        var run = await transaction.InsertRunAsync(
            new ActionRun
            {
                IncidentId = incident.Id,
                Target = target,
                Action = DecisionAction.Rollback,
                Authority = required,
                Rule = Rule,
                Status = ActionRunStatus.AwaitingApproval,
                CreatedAt = now,
            },
            CancellationToken.None);
        var pending = new Approval
        {
            RunId = run.Id,
            IncidentId = incident.Id,
            Target = target,
            Action = run.Action,
            Required = required,
            RequestedAt = now,
        };
        var approval = await requester.RequestAsync(transaction, pending, incident, incident.TriggerSummary, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return approval;
    }

    public async Task<Approval> StoredAsync(long id) => (await Store.GetApprovalAsync(id, CancellationToken.None)).ShouldNotBeNull();

    public async Task<IReadOnlyList<IncidentEvent>> TimelineAsync(Approval approval) =>
        await Store.GetTimelineAsync(approval.IncidentId, CancellationToken.None);

    /// <summary>The event keys of the committed notifications, oldest first.</summary>
    public async Task<IReadOnlyList<string>> QueuedKeysAsync() =>
        [.. (await Store.ListNotificationsAsync(null, null, 1000, CancellationToken.None)).Select(n => n.EventKey)];

    /// <summary>Advances the clock in steps and runs a tick after each, as the loop would.</summary>
    public async Task TickUntilAsync(ApprovalService service, TimeSpan elapsedSinceStart, DateTimeOffset start, TimeSpan step)
    {
        while (Time.GetUtcNow() - start + step <= elapsedSinceStart)
        {
            Time.Advance(step);
            await service.RunOnceAsync(CancellationToken.None);
        }
    }
}
