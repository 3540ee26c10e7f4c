
namespace Watchdog.Records;

/// <summary>Which incidents to list; null filters match everything. <see cref="Since"/> compares with DetectedAt.</summary>
internal sealed record IncidentQuery(IncidentStatus? Status = null, string? Target = null, DateTimeOffset? Since = null, int Limit = 100);
