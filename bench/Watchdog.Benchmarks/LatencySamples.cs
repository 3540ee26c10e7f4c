using System.Globalization;

namespace Watchdog.Benchmarks;

/// <summary>Percentiles of latency samples in milliseconds, as the latency benchmarks print them.</summary>
internal static class LatencySamples
{
    public static List<double> Sorted(IEnumerable<double> values)
    {
        var list = values.ToList();
        list.Sort();
        return list;
    }

    public static string Summary(List<double> sorted) =>
        string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(sorted, 0.50):F1} ms  p90 {Percentile(sorted, 0.90):F1} ms  p99 {Percentile(sorted, 0.99):F1} ms  max {sorted[^1]:F1} ms");

    /// <summary>Nearest rank on sorted samples.</summary>
    public static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
