namespace Watchdog.Fencing;

/// <summary>
/// The leader's term as its writes carry it: the lock's name, the epoch it was won at, and whether this replica still
/// holds it. The leader's work (the watch loop, the executor, the outbox, the approval timers) runs inside
/// <see cref="Enter"/>, so that every store transaction it commits is checked against the store's current epoch and every
/// write to Kubernetes or a flag service is refused once the term is over. Work outside it (the API's webhooks and
/// approvals, which followers take too) is not fenced. With one replica there is no fence at all.
/// </summary>
/// <param name="refused">Told of every write refused under this fence (<c>watchdog_fenced_writes_total</c>).</param>
internal sealed class WriteFence(string name, long epoch, Func<bool> isCurrent, Action? refused = null)
{
    private static readonly AsyncLocal<WriteFence?> Ambient = new();

    /// <summary>The fence of the work running here, or null outside the leader's work.</summary>
    public static WriteFence? Current => Ambient.Value;

    public string Name { get; } = name;

    public long Epoch { get; } = epoch;

    /// <summary>True while this replica still leads in this term and has renewed within the renew deadline.</summary>
    public bool IsCurrent => isCurrent();

    /// <summary>Runs what follows (and everything it starts) under <paramref name="fence"/>; disposing restores the one before.</summary>
    public static Scope Enter(WriteFence? fence)
    {
        var previous = Ambient.Value;
        Ambient.Value = fence;
        return new Scope(previous);
    }

    /// <summary>Throws <see cref="DeposedException"/> when the work here belongs to a term that is over.</summary>
    public static void ThrowIfDeposed(string what)
    {
        if (Ambient.Value is { IsCurrent: false } fence)
        {
            throw fence.Refuse($"{what} refused: this replica no longer leads (epoch {fence.Epoch} of {fence.Name} is over)");
        }
    }

    /// <summary>Counts a refused write and gives the exception to throw for it.</summary>
    public DeposedException Refuse(string message)
    {
        refused?.Invoke();
        return new DeposedException(message);
    }

    internal readonly struct Scope(WriteFence? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
