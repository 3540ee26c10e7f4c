namespace Watchdog.Telemetry;

/// <summary>
/// Bucket bounds in seconds, each for the range its histogram measures; the exporter's default bounds are
/// millisecond-shaped (0 to 10,000) even for a unit of seconds, which would put every rollback in one bucket.
/// </summary>
internal static class HistogramBuckets
{
    /// <summary>0.1 s (a webhook) to 30 min (a rollout that waits for its pods).</summary>
    public static readonly IReadOnlyList<double> ActionDuration = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800];

    /// <summary>0.05 s (an automatic action) to 10 min (a human approving).</summary>
    public static readonly IReadOnlyList<double> DetectionToAction = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>1 s to 1 h: a `for` window, the detection, the action and its wait, all together.</summary>
    public static readonly IReadOnlyList<double> TimeToRollback = [1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
}
