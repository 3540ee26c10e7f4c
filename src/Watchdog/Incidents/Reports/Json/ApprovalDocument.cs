namespace Watchdog.Incidents.Reports.Json;

internal sealed record ApprovalDocument(
    long Id,
    long RunId,
    string Action,
    string Required,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? Comment,
    int EscalationLevel,
    DateTimeOffset? LastEscalatedAt);
