namespace Watchdog.Incidents.Reports.Json;

/// <param name="Duration">From start to completion; null until both happened.</param>
/// <param name="TraceId">The trace the run was carried out in; null when it was not traced.</param>
internal sealed record RunDocument(
    long Id,
    string Action,
    string Authority,
    string Rule,
    string Status,
    bool DryRun,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DurationDocument? Duration,
    string? Reason,
    string? TraceId,
    IReadOnlyList<StepDocument> Steps);
