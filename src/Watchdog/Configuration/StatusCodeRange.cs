using System.Globalization;

namespace Watchdog.Configuration;

/// <summary>Accepted HTTP status codes, written <c>200</c> or <c>200-299</c>.</summary>
internal sealed record StatusCodeRange(int Min, int Max)
{
    public bool Contains(int status) => status >= Min && status <= Max;

    public static bool TryParse(string? text, out StatusCodeRange range)
    {
        range = new StatusCodeRange(200, 299);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length > 2 || !TryParseCode(parts[0], out var min))
        {
            return false;
        }

        var max = min;
        if (parts.Length == 2 && (!TryParseCode(parts[1], out max) || max < min))
        {
            return false;
        }

        range = new StatusCodeRange(min, max);
        return true;
    }

    public override string ToString() => Min == Max
        ? Min.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");

    private static bool TryParseCode(string text, out int code) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code) && code is >= 100 and <= 599;
}
