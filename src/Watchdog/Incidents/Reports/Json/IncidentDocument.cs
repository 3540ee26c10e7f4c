namespace Watchdog.Incidents.Reports.Json;

/// <summary>An incident as served over HTTP and written to report files; names are the policy language's (<c>rollback</c>, <c>on-call</c>).</summary>
internal sealed record IncidentDocument(
    long Id,
    string Target,
    string Policy,
    string Status,
    string? Environment,
    DateTimeOffset DetectedAt,
    DateTimeOffset? ActionStartedAt,
    DateTimeOffset? ActionCompletedAt,
    DateTimeOffset? VerifiedHealthyAt,
    DateTimeOffset? ClosedAt,
    string? CloseReason,
    string? ClosedBy,
    string TriggerRule,
    string TriggerAction,
    string TriggerAuthority,
    string TriggerSummary,
    string? BeforeState,
    string? AfterState,
    string? ApprovedBy,
    IncidentDurationsDocument Durations,
    DateTimeOffset? BreachStartedAt);
