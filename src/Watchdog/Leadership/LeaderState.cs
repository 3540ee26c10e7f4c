namespace Watchdog.Leadership;

/// <summary>
/// Who leads, as this replica knows it: its own term when it leads, else the holder it last saw. With one replica
/// (<c>ha.lock: none</c>) it leads from the start, at epoch 0, unfenced. The leader's loops wait for a term here
/// (<see cref="NextTermAsync"/>) and stop when it ends.
/// </summary>
internal sealed class LeaderState(string identity, bool enabled)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<LeaderTerm> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LeaderTerm? _term;

    /// <summary>One replica: leads at once and for good.</summary>
    public static LeaderState Solo(TimeProvider time)
    {
        var solo = new LeaderState("solo", enabled: false);
        solo.Begin(new LeaderTerm("solo", 0, time.GetUtcNow(), TimeSpan.MaxValue, time, fenced: false));
        return solo;
    }

    public string Identity { get; } = identity;

    /// <summary>False with one replica.</summary>
    public bool Enabled { get; } = enabled;

    public LeaderTerm? Term
    {
        get
        {
            lock (_gate)
            {
                return _term;
            }
        }
    }

    public bool IsLeader => Term is { IsCurrent: true };

    /// <summary>The holder last seen (this replica while it leads), the epoch and since when; null before the first look.</summary>
    public (string Holder, long Epoch, DateTimeOffset? Since)? Leader { get; private set; }

    /// <summary>Terms this replica has begun since it started.</summary>
    public int Transitions { get; private set; }

    /// <summary>The current term, or the next one as soon as it begins.</summary>
    public Task<LeaderTerm> NextTermAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _term is { Ended.IsCancellationRequested: false } term ? Task.FromResult(term) : _next.Task.WaitAsync(cancellationToken);
        }
    }

    public void Begin(LeaderTerm term)
    {
        lock (_gate)
        {
            _term = term;
            Leader = (Identity, term.Epoch, term.Since);
            Transitions++;
            _next.TrySetResult(term);
        }
    }

    /// <summary>Ends the current term (its work is cancelled) and makes the next one awaitable.</summary>
    public LeaderTerm? End()
    {
        lock (_gate)
        {
            var ended = _term;
            _term = null;
            ended?.End();
            if (_next.Task.IsCompleted)
            {
                _next = new TaskCompletionSource<LeaderTerm>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return ended;
        }
    }

    public void Saw(string holder, long epoch, DateTimeOffset? since)
    {
        lock (_gate)
        {
            if (_term is null)
            {
                Leader = holder.Length == 0 ? null : (holder, epoch, since);
            }
        }
    }
}
