using Microsoft.Extensions.Hosting;

namespace Watchdog.Store;

/// <summary>
/// With the SQLite store one process acts on a database file: a second daemon started on the same file would run
/// every rollback twice. Before the store is migrated, this takes an exclusive lock on <c>FILE.lock</c> beside the
/// database (flock, held until the process ends) and refuses to start when another process holds it. Several replicas
/// need the PostgreSQL store and <c>ha.lock</c>.
/// </summary>
internal sealed class SqliteProcessLock(string databasePath) : IHostedService, IDisposable
{
    private FileStream? _held;

    public string LockPath { get; } = databasePath + ".lock";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        try
        {
            _held = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new StoreInUseException(
                $"the SQLite store {databasePath} is in use by another Watchdog process (it holds {LockPath}); with SQLite run one " +
                "replica, or give several replicas store.kind: postgres and ha.lock", ex);
        }

        _held.SetLength(0);
        using var writer = new StreamWriter(_held, leaveOpen: true);
        writer.Write(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _held?.Dispose();
}
