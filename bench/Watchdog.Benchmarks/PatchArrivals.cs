using System.Diagnostics;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.Benchmarks;

/// <summary>
/// When the simulator received the requests for one deployment: its request log carries no timestamps, so this polls
/// the log from a dedicated thread every millisecond and stamps what it sees, so a sample is late by at most ~1.1 ms.
/// </summary>
internal static class PatchArrivals
{
    /// <summary>
    /// Stopwatch ticks at which the first request under <paramref name="path"/> and the first PATCH of it, at log index
    /// <paramref name="from"/> or later, were seen; null when no PATCH came within <paramref name="timeout"/>.
    /// </summary>
    public static PatchArrival? WaitFor(KubernetesSimulator simulator, string path, int from, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        long? first = null;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var requests = simulator.Requests;
            for (var i = from; i < requests.Count; i++)
            {
                if (!requests[i].Path.StartsWith(path, StringComparison.Ordinal))
                {
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                first ??= now;
                if (requests[i] is { Method: "PATCH" } request && request.Path == path)
                {
                    return new PatchArrival(first.Value, now);
                }
            }

            // Sleep, not spin: on this 2-core machine a yielding poller took a core from the daemon and doubled the median.
            Thread.Sleep(1);
        }

        return null;
    }
}
