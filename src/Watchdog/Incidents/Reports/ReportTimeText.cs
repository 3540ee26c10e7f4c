using System.Globalization;
using Watchdog.Rules;

namespace Watchdog.Incidents.Reports;

/// <summary>How reports write instants, timeline offsets and durations; invariant, so reports are byte-for-byte reproducible.</summary>
internal static class ReportTimeText
{
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
        return sign + (seconds == 0 ? "0" : DurationText.Human(TimeSpan.FromSeconds(seconds)));
    }

    /// <summary>A duration as messages write it (<see cref="DurationText.Human"/>): <c>850ms</c>, <c>45s</c>, <c>2m05s</c>, <c>1h02m</c>, <c>3d04h</c>.</summary>
    public static string Duration(TimeSpan duration) => DurationText.Human(duration);
}
