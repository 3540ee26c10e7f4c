using System.Threading.Channels;

namespace Watchdog.Actions;

/// <summary>Runs ready to be carried out, handed from the deciding side to the worker that executes them (in memory only as a hand-off: the runs themselves are in the store, and recovery re-queues them after a restart).</summary>
internal sealed class ReadyRuns
{
    private readonly Channel<long> _runs = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(long runId) => _runs.Writer.TryWrite(runId);

    public IAsyncEnumerable<long> ReadAllAsync(CancellationToken cancellationToken) => _runs.Reader.ReadAllAsync(cancellationToken);
}
