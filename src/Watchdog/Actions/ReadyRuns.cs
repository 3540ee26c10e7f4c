using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace Watchdog.Actions;

/// <summary>Runs ready to be carried out, handed from the deciding side to the worker that executes them (in memory only as a hand-off: the runs themselves are in the store, and recovery re-queues them after a restart).</summary>
internal sealed class ReadyRuns
{
    private readonly Channel<long> _runs = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    // The span each run was queued under, so the run's own span continues that trace (in memory only: a run
    // re-queued by recovery after a restart starts a trace of its own).
    private readonly ConcurrentDictionary<long, ActivityContext> _queuedIn = new();

    public void Enqueue(long runId)
    {
        if (Activity.Current is { } span)
        {
            _queuedIn[runId] = span.Context;
        }

        _runs.Writer.TryWrite(runId);
    }

    /// <summary>The span the run was queued under; default (a new trace) when none.</summary>
    public ActivityContext TakeQueuedIn(long runId) => _queuedIn.TryRemove(runId, out var context) ? context : default;

    public IAsyncEnumerable<long> ReadAllAsync(CancellationToken cancellationToken) => _runs.Reader.ReadAllAsync(cancellationToken);
}
