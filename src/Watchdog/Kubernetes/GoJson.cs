using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Watchdog.Kubernetes;

/// <summary>
/// The bytes Go's <c>encoding/json.Marshal</c> writes for a value decoded into <c>interface{}</c> (maps, slices,
/// float64, string, bool, nil), as kubectl does before comparing a live template with a ControllerRevision's data:
/// map keys sorted byte-wise, compact, numbers as float64, strings with Go's escapes (<c>&lt; &gt; &amp;</c> as
/// <c>\u003c \u003e \u0026</c>, U+2028/U+2029, control characters; everything else, non-ASCII included, as is).
/// </summary>
internal static class GoJson
{
    public static string Marshal(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, CodePointComparer.Instance))
                {
                    text.Append(first ? "" : ",");
                    first = false;
                    WriteString(text, key);
                    text.Append(':');
                    Write(text, value);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    Write(text, array[i]);
                }

                text.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteString(text, value.GetValue<string>());
                        break;
                    case JsonValueKind.Number:
                        text.Append(Float64(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)));
                        break;
                    default:
                        text.Append(value.ToJsonString()); // true, false, null
                        break;
                }

                break;
        }
    }

    /// <summary>encodeState.string with escapeHTML (Go 1.22 and later also write <c>\b</c> and <c>\f</c> short).</summary>
    private static void WriteString(StringBuilder text, string value)
    {
        const string Hex = "0123456789abcdef";
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"' or '\\':
                    text.Append('\\').Append(c);
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ' or '<' or '>' or '&':
                    text.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                    break;
                case '\u2028' or '\u2029':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case >= '\uD800' and <= '\uDBFF' when i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]):
                    text.Append(c).Append(value[++i]);
                    break;
                case >= '\uD800' and <= '\uDFFF':
                    text.Append("\\ufffd"); // a lone surrogate: Go writes invalid UTF-8 as the replacement character
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }

    /// <summary>floatEncoder for float64: shortest digits, plain between 1e-6 and 1e21, else <c>1e+21</c> / <c>1e-7</c>.</summary>
    internal static string Float64(double f)
    {
        var abs = Math.Abs(f);
        var exponential = abs != 0 && (abs < 1e-6 || abs >= 1e21);
        // "R" gives the shortest round-trip digits, e.g. "-1.5E-07" or "123.45"; take them apart into digits and exponent.
        var r = f.ToString("R", CultureInfo.InvariantCulture);
        var negative = r.StartsWith('-');
        var body = negative ? r[1..] : r;
        var e = body.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? body : body[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        // The value is 0.DIGITS × 10^point.
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        point -= leadingZeros;
        if (digits.Length == 0)
        {
            return negative ? "-0" : "0";
        }

        string text;
        if (exponential)
        {
            var x = point - 1;
            text = digits[..1] + (digits.Length > 1 ? "." + digits[1..] : "") + "e" + (x < 0 ? "-" : "+")
                   + Math.Abs(x).ToString(x is > -10 and < 0 ? "0" : "00", CultureInfo.InvariantCulture);
        }
        else if (point <= 0)
        {
            text = "0." + new string('0', -point) + digits;
        }
        else if (point >= digits.Length)
        {
            text = digits + new string('0', point - digits.Length);
        }
        else
        {
            text = digits[..point] + "." + digits[point..];
        }

        return negative ? "-" + text : text;
    }

    /// <summary>Go sorts map keys as byte strings; UTF-8 byte order is code point order (UTF-16 order is not, above U+D7FF).</summary>
    private sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = (x ?? "").EnumerateRunes();
            var b = (y ?? "").EnumerateRunes();
            while (true)
            {
                var hasA = a.MoveNext();
                var hasB = b.MoveNext();
                if (!hasA || !hasB)
                {
                    return hasA.CompareTo(hasB);
                }

                if (a.Current.Value != b.Current.Value)
                {
                    return a.Current.Value.CompareTo(b.Current.Value);
                }
            }
        }
    }
}
