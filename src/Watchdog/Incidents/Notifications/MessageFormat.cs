using System.Globalization;

namespace Watchdog.Incidents.Notifications;

/// <summary>How times and durations read in messages: the same text for every reader, whatever their time zone.</summary>
internal static class MessageFormat
{
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"5 minutes", "1 hour", "90 seconds", "200 milliseconds": the largest unit that states the duration exactly.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration.Ticks % TimeSpan.TicksPerHour == 0 && duration >= TimeSpan.FromHours(1))
        {
            return Count((long)duration.TotalHours, "hour");
        }

        if (duration.Ticks % TimeSpan.TicksPerMinute == 0 && duration >= TimeSpan.FromMinutes(1))
        {
            return Count((long)duration.TotalMinutes, "minute");
        }

        if (duration.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            return Count((long)duration.TotalSeconds, "second");
        }

        return Count((long)Math.Round(duration.TotalMilliseconds), "millisecond");
    }

    private static string Count(long count, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 ? "" : "s")}");
}
