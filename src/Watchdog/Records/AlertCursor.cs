using System.Globalization;

namespace Watchdog.Records;

/// <summary>
/// A place in the list of received alerts (newest first: by receipt time, then id): the next page starts after
/// it. Its text is <c>&lt;received at, Unix ms&gt;-&lt;id&gt;</c>, for a script to hand back unchanged.
/// </summary>
internal readonly record struct AlertCursor(DateTimeOffset ReceivedAt, long Id)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{ReceivedAt.ToUnixTimeMilliseconds()}-{Id}");

    public static bool TryParse(string? text, out AlertCursor cursor)
    {
        cursor = default;
        var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        cursor = new AlertCursor(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), id);
        return true;
    }
}
