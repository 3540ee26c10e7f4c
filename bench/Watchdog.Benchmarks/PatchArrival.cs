namespace Watchdog.Benchmarks;

/// <summary>Stopwatch ticks at which the simulator was seen to receive a deployment's first request and its PATCH.</summary>
internal sealed record PatchArrival(long FirstRequest, long Patch);
