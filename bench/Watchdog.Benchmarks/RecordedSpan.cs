using System.Diagnostics;

namespace Watchdog.Benchmarks;

/// <summary>One ended span as <see cref="SpanRecorder"/> saw it; <c>Start</c> and <c>End</c> are Stopwatch ticks.</summary>
internal sealed record RecordedSpan(string Name, ActivitySpanId Id, ActivitySpanId Parent, string? Target, long Start, long End);
