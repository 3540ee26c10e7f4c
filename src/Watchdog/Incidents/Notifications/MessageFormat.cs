using System.Globalization;
using Watchdog.Rules;

namespace Watchdog.Incidents.Notifications;

/// <summary>How times and durations read in messages: the same text for every reader, whatever their time zone.</summary>
internal static class MessageFormat
{
    /// <summary>The time of day in UTC, <c>06:12:04 UTC</c>: see <see cref="TimeOfDayText"/>.</summary>
    public static string Timestamp(DateTimeOffset at) => TimeOfDayText.Utc(at);

    /// <summary>ISO-8601 in UTC to the second, <c>2025-06-01T06:12:04Z</c>: for payload fields a program reads, not a person.</summary>
    public static string IsoTimestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>See <see cref="DurationText.Human"/>: <c>850ms</c>, <c>45s</c>, <c>2m05s</c>, <c>1h02m</c>, <c>3d04h</c>.</summary>
    public static string Duration(TimeSpan duration) => DurationText.Human(duration);
}
