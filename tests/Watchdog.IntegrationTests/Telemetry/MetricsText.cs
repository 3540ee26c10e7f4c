using System.Globalization;

namespace Watchdog.IntegrationTests.Telemetry;

/// <summary>Reads the Prometheus text format as far as the tests need: sample names and one sample's value.</summary>
internal static class MetricsText
{
    /// <summary>The names of the samples (not the comments), e.g. <c>watchdog_actions_total</c>, <c>..._bucket</c>.</summary>
    public static HashSet<string> SampleNames(string text) =>
        [.. Samples(text).Select(line => line[..line.IndexOfAny(['{', ' '])])];

    public static bool HasSample(string text, string name) => SampleNames(text).Contains(name);

    /// <summary>The value of the first sample named <paramref name="name"/>; null when there is none.</summary>
    public static double? Value(string text, string name) =>
        Samples(text).FirstOrDefault(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal)) is { } line
            ? double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : null;

    private static IEnumerable<string> Samples(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !line.StartsWith('#'));
}
