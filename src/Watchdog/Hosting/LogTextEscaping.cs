using System.Globalization;

namespace Watchdog.Hosting;

/// <summary>
/// Writes text into a one-line log entry with every character that could act on the reader's terminal or fake the
/// shape of the log escaped: C0 and C1 controls and DEL (ESC as <c>\u001b</c>, NUL as <c>\u0000</c>; newline, CR and
/// tab as <c>\n</c>, <c>\r</c>, <c>\t</c>), the Unicode line and paragraph separators, and the bidirectional overrides
/// that reorder what is shown. Everything else, backslashes included, is written as it is.
/// </summary>
internal static class LogTextEscaping
{
    private static readonly System.Buffers.SearchValues<char> Escaped = System.Buffers.SearchValues.Create(
        [.. Range('\u0000', '\u001f'), .. Range('\u007f', '\u009f'), '\u2028', '\u2029', .. Range('\u202a', '\u202e'), .. Range('\u2066', '\u2069')]);

    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(Escaped))
        {
            return text;
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, text);
        return writer.ToString();
    }

    public static void Write(TextWriter writer, string text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.AsSpan();
        while (rest.IndexOfAny(Escaped) is var next and >= 0)
        {
            writer.Write(rest[..next]);
            writer.Write(rest[next] switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                var c => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            });
            rest = rest[(next + 1)..];
        }

        writer.Write(rest);
    }

    private static IEnumerable<char> Range(char first, char last)
    {
        for (var c = first; c <= last; c++)
        {
            yield return c;
        }
    }
}
