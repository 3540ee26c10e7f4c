using System.Text.Json;

namespace Watchdog.Incidents.Reports.Json;

/// <param name="Offset">From detection, as the Markdown timeline writes it (<c>T+2m05s</c>).</param>
/// <param name="Detail">The event's stored JSON, embedded as JSON.</param>
internal sealed record TimelineEventDocument(long Id, DateTimeOffset At, string Offset, double OffsetSeconds, string Kind, string Summary, JsonElement? Detail);
