using System.Globalization;

namespace Watchdog.Incidents.Reports;

/// <summary>How reports write instants, timeline offsets and durations; invariant, so reports are byte-for-byte reproducible.</summary>
internal static class ReportTimeText
{
    private const long Minute = 60;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    /// <summary>ISO-8601 in UTC to the second: <c>2025-06-01T12:00:00Z</c>.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// An offset on the timeline: <c>T+0</c>, <c>T+45s</c>, <c>T+2m05s</c>, <c>T+1h02m</c>, <c>T+1d03h</c>.
    /// Past an hour the seconds are dropped: at that distance they no longer help a reader place an event.
    /// </summary>
    public static string Offset(TimeSpan offset)
    {
        // An event stamped before detection (a clock step, an alert that arrived late) is shown as such, not hidden.
        var sign = offset < TimeSpan.Zero ? "T-" : "T+";
        var seconds = Math.Abs((long)offset.TotalSeconds);
        return sign + seconds switch
        {
            0 => "0",
            < Minute => $"{seconds}s",
            < Hour => $"{seconds / Minute}m{seconds % Minute:00}s",
            < Day => $"{seconds / Hour}h{seconds % Hour / Minute:00}m",
            _ => $"{seconds / Day}d{seconds % Day / Hour:00}h",
        };
    }

    /// <summary>A duration to the second: <c>0s</c>, <c>45s</c>, <c>2m05s</c>, <c>1h02m05s</c> (hours are not folded into days).</summary>
    public static string Duration(TimeSpan duration)
    {
        var seconds = Math.Max(0, (long)duration.TotalSeconds);
        return seconds switch
        {
            < Minute => $"{seconds}s",
            < Hour => $"{seconds / Minute}m{seconds % Minute:00}s",
            _ => $"{seconds / Hour}h{seconds % Hour / Minute:00}m{seconds % Minute:00}s",
        };
    }
}
