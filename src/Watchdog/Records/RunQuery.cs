
namespace Watchdog.Records;

/// <summary>Which action runs to list; null filters match everything. <see cref="Since"/> compares with CreatedAt.</summary>
internal sealed record RunQuery(
    string? Target = null,
    long? IncidentId = null,
    IReadOnlyList<ActionRunStatus>? Statuses = null,
    DateTimeOffset? Since = null,
    int Limit = 1000);
