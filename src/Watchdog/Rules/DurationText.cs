using System.Globalization;
using System.Text;

namespace Watchdog.Rules;

/// <summary>
/// Durations as Prometheus writes them: <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>, <c>1d</c>, <c>1w</c>;
/// units from largest to smallest, each at most once. A bare <c>0</c> is zero.
/// </summary>
internal static class DurationText
{
    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("y", TimeSpan.FromDays(365)),
        ("w", TimeSpan.FromDays(7)),
        ("d", TimeSpan.FromDays(1)),
        ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text == "0")
        {
            return true;
        }

        var position = 0;
        var lastUnit = -1;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            if (position == start)
            {
                return false;
            }

            if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unit = Array.FindIndex(Units, u => string.CompareOrdinal(text, position, u.Unit, 0, u.Unit.Length) == 0
                && !(u.Unit == "m" && position + 1 < text.Length && text[position + 1] == 's'));
            if (unit <= lastUnit)
            {
                return false;
            }

            lastUnit = unit;
            position += Units[unit].Unit.Length;
            try
            {
                duration = checked(duration + TimeSpan.FromTicks(checked(number * Units[unit].Size.Ticks)));
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes a duration the way <see cref="TryParse"/> reads it (<c>1m30s</c>, <c>250ms</c>, <c>0s</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        var rest = duration.Ticks;
        foreach (var (unit, size) in Units)
        {
            if (unit is "y" or "w")
            {
                continue;
            }

            var count = rest / size.Ticks;
            if (count > 0)
            {
                builder.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest -= count * size.Ticks;
            }
        }

        return builder.Length == 0 ? "0s" : builder.ToString();
    }
    /// <summary>
    /// A duration for a person to read, in its two largest units, truncated: <c>850ms</c> (below 1s only), <c>45s</c>,
    /// <c>2m05s</c>, <c>15m00s</c>, <c>1h02m</c>, <c>3d04h</c>. The second unit always has two digits, so lengths line up;
    /// zero or less is <c>0s</c>.
    /// </summary>
    public static string Human(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalMilliseconds}ms");
        }

        var seconds = (long)duration.TotalSeconds;
        return seconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"),
            < 3600 => Pair(seconds / 60, "m", seconds % 60, "s"),
            < 86400 => Pair(seconds / 3600, "h", seconds % 3600 / 60, "m"),
            _ => Pair(seconds / 86400, "d", seconds % 86400 / 3600, "h"),
        };
    }

    private static string Pair(long first, string firstUnit, long second, string secondUnit) =>
        string.Create(CultureInfo.InvariantCulture, $"{first}{firstUnit}{second:00}{secondUnit}");
}
