using System.Threading.Channels;

namespace Watchdog.Signals;

/// <summary>
/// Targets that a signal asks to have evaluated now rather than at their next slot (an alert that just arrived).
/// A source calls <see cref="Request"/>; the watch loop waits on <see cref="WaitAsync"/> and takes the names with
/// <see cref="Take"/>. Asking again before the names are taken asks once: a burst gives one evaluation.
/// Lives with the signals, not the loop, so that a source can ask without knowing who evaluates.
/// </summary>
internal sealed class EvaluationRequests
{
    private static readonly HashSet<string> None = [];

    private readonly Lock _gate = new();
    private HashSet<string> _requested = new(StringComparer.Ordinal);

    // One pending wake-up at most; later ones are dropped, as the names they bring are already in the set.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public void Request(IEnumerable<string> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var any = false;
        lock (_gate)
        {
            foreach (var target in targets)
            {
                any |= _requested.Add(target);
            }
        }

        // After the names are in: a reader woken by this finds them.
        if (any)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    /// <summary>Completes once there may be requested targets; it can complete with none left (they were taken already).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken) => await _wake.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>The targets requested since the last take, and forgets them: asking again from now on asks anew.</summary>
    public IReadOnlySet<string> Take()
    {
        // The wake-up first, then the names: one written after this read brings names this take may miss, never the other way round.
        _wake.Reader.TryRead(out _);
        lock (_gate)
        {
            if (_requested.Count == 0)
            {
                return None;
            }

            var taken = _requested;
            _requested = new HashSet<string>(StringComparer.Ordinal);
            return taken;
        }
    }
}
