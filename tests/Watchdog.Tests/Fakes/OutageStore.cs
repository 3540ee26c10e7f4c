using System.Data.Common;
using Watchdog.Records;

namespace Watchdog.Tests.Fakes;

/// <summary>A store that can go away: while <see cref="Down"/>, every transaction fails to begin as a lost connection does.</summary>
internal sealed class OutageStore(IWatchdogStore inner) : DelegatingStore(inner)
{
    private int _down;
    private int _refused;

    public bool Down
    {
        get => Volatile.Read(ref _down) == 1;
        set => Volatile.Write(ref _down, value ? 1 : 0);
    }

    /// <summary>The store behind, readable while this one is down.</summary>
    public IWatchdogStore Underlying => Inner;

    /// <summary>How many calls (transactions and the reads the executor and its worker make) were refused while down.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public override Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken) => Answer(() => base.BeginAsync(cancellationToken));

    public override Task PingAsync(CancellationToken cancellationToken) => Answer(async () =>
    {
        await base.PingAsync(cancellationToken);
        return 0;
    });

    public override Task<ActionRun?> GetRunAsync(long id, CancellationToken cancellationToken) => Answer(() => base.GetRunAsync(id, cancellationToken));

    public override Task<IReadOnlyList<ActionRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) =>
        Answer(() => base.ListRunsAsync(query, cancellationToken));

    private Task<T> Answer<T>(Func<Task<T>> call)
    {
        if (Down)
        {
            Interlocked.Increment(ref _refused);
            throw new StoreDownException();
        }

        return call();
    }

    /// <summary>What Npgsql throws when the server went away, as a <see cref="DbException"/>.</summary>
    internal sealed class StoreDownException() : DbException("Failed to connect to 127.0.0.1:5432 (the store is down in this test)");
}
