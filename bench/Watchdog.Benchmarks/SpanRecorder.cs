using System.Collections.Concurrent;
using System.Diagnostics;
using Watchdog.Telemetry;

namespace Watchdog.Benchmarks;

/// <summary>
/// Listens to Watchdog's own spans (<see cref="WatchdogActivities"/>) in the benchmark process and keeps, for each one
/// that ended, its name, parent, target tag and Stopwatch ticks at start and end, so a benchmark can break a latency
/// down into phases without logs in the product.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private const string StartProperty = "bench.start";
    private readonly ConcurrentQueue<RecordedSpan> _spans = new();
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = WatchdogActivities.Listen(
            activity => _spans.Enqueue(new RecordedSpan(
                activity.OperationName,
                activity.SpanId,
                activity.ParentSpanId,
                activity.GetTagItem("watchdog.target") as string,
                activity.GetCustomProperty(StartProperty) as long? ?? 0,
                Stopwatch.GetTimestamp())),
            activity => activity.SetCustomProperty(StartProperty, Stopwatch.GetTimestamp()));
    }

    public IReadOnlyList<RecordedSpan> Spans => [.. _spans];

    public void Clear() => _spans.Clear();

    public void Dispose() => _listener.Dispose();
}
