namespace Watchdog.Incidents.Reports.Json;

/// <summary>A duration for machines twice over: seconds to compute with, ISO-8601 (<c>PT2M5S</c>) to read.</summary>
internal sealed record DurationDocument(double Seconds, string Iso)
{
    public static DurationDocument? From(TimeSpan? duration) =>
        duration is { } value ? new DurationDocument(value.TotalSeconds, System.Xml.XmlConvert.ToString(value)) : null;
}
