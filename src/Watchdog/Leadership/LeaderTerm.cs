using Watchdog.Fencing;

namespace Watchdog.Leadership;

/// <summary>
/// One stretch of leading, from winning the lock to losing, giving up or shutting down: its epoch, its fence, and a
/// token the leader's work stops on. Current while renewed within the renew deadline, judged by this process's clock,
/// so that a process paused past it (SIGSTOP, a long GC, a frozen VM) knows on waking that it may no longer act, before
/// its lease can have expired elsewhere.
/// </summary>
internal sealed class LeaderTerm : IDisposable
{
    private readonly CancellationTokenSource _ended = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _renewDeadline;
    private long _renewedAtTicks;

    public LeaderTerm(
        string lockName, long epoch, DateTimeOffset since, TimeSpan renewDeadline, TimeProvider time, bool fenced, string? tookOverFrom = null, Action? fencedWrite = null)
    {
        TookOverFrom = tookOverFrom;
        Epoch = epoch;
        Since = since;
        _time = time;
        _renewDeadline = renewDeadline;
        _renewedAtTicks = since.UtcTicks;
        Fence = fenced ? new WriteFence(lockName, epoch, () => IsCurrent, fencedWrite) : null;
    }

    public long Epoch { get; }

    /// <summary>The replica that led before, when this one saw it (null at a first start, or with one replica).</summary>
    public string? TookOverFrom { get; }

    public DateTimeOffset Since { get; }

    /// <summary>What the term's writes carry; null with one replica, where nothing is fenced.</summary>
    public WriteFence? Fence { get; }

    /// <summary>Cancelled when the term ends.</summary>
    public CancellationToken Ended => _ended.Token;

    public DateTimeOffset RenewedAt => new(Interlocked.Read(ref _renewedAtTicks), TimeSpan.Zero);

    public bool IsCurrent => !_ended.IsCancellationRequested && (Fence is null || _time.GetUtcNow() - RenewedAt < _renewDeadline);

    public void Renewed(DateTimeOffset at) => Interlocked.Exchange(ref _renewedAtTicks, at.UtcTicks);

    public void End()
    {
        if (!_ended.IsCancellationRequested)
        {
            _ended.Cancel();
        }
    }

    public void Dispose() => _ended.Dispose();
}
