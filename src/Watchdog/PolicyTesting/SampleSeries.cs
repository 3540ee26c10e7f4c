using System.Globalization;
using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.PolicyTesting;

/// <summary>
/// The sample notation of policy test files: space-separated values, one per interval from 0s;
/// <c>_</c> is no data, <c>x</c> a source error, <c>VxN</c> repeats V N times (<c>0.12x4</c>, <c>_x3</c>).
/// </summary>
internal static class SampleSeries
{
    public const string TestSourceError = "source error (from the test series)";

    public static IReadOnlyList<SignalValue>? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<SignalValue>();
        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var (valueText, count) = SplitRepeat(token);
            if (count < 1)
            {
                error = $"'{token}': the repeat count after 'x' must be a whole number of at least 1";
                return null;
            }

            if (!TryValue(valueText, out var value))
            {
                error = $"'{token}': expected a number, '_' (no data), 'x' (source error) or 'VxN' (V repeated N times)";
                return null;
            }

            values.AddRange(Enumerable.Repeat(value, count));
        }

        error = values.Count == 0 ? "no samples: write at least one value" : null;
        return error is null ? values : null;
    }

    private static (string Value, int Count) SplitRepeat(string token)
    {
        // A lone 'x' is an error sample; V followed by 'x' and digits is a repeat (V may be 'x' or '_').
        var at = token.LastIndexOf('x');
        if (at <= 0 || at == token.Length - 1 || token.AsSpan(at + 1).ContainsAnyExceptInRange('0', '9'))
        {
            return (token, 1);
        }

        return int.TryParse(token.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? (token[..at], count)
            : (token, 0);
    }

    private static bool TryValue(string text, out SignalValue value)
    {
        value = text switch
        {
            "_" => SignalValue.NoData,
            "x" => SignalValue.Error(TestSourceError),
            _ => default,
        };
        if (text is "_" or "x")
        {
            return true;
        }

        if (text.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            value = SignalValue.Of(double.NaN);
            return true;
        }

        if (YamlNodes.TryDouble(text, out var number))
        {
            value = SignalValue.Of(number);
            return true;
        }

        return false;
    }
}
