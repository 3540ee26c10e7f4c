using System.Globalization;

namespace Watchdog.Rules;

/// <summary>
/// A moment as a person reads it in a page, a reason or a timeline note: the time of day in UTC to the second,
/// <c>06:12:04 UTC</c>. What is read within hours of being written needs no date; the same text for every reader,
/// whatever their time zone.
/// </summary>
internal static class TimeOfDayText
{
    public static string Utc(DateTimeOffset at) =>
        at.UtcDateTime.ToString("HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
