namespace Watchdog.Records;

/// <summary>One entry of an incident's timeline.</summary>
/// <param name="Kind">One of <see cref="IncidentEventKind"/>.</param>
/// <param name="Summary">One line for people.</param>
/// <param name="Detail">Optional JSON with the specifics (values, step parameters, responses).</param>
internal sealed record IncidentEvent(long IncidentId, DateTimeOffset At, string Kind, string Summary, string? Detail = null)
{
    public long Id { get; init; }
}
