using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Watchdog.Store;

/// <summary>Opens SQLite connections with the per-connection settings the store relies on.</summary>
internal sealed class SqliteDataSource(string connectionString) : DbDataSource
{
    // How long a writer waits for another writer's lock before failing, inside SQLite itself
    // (finer-grained than Microsoft.Data.Sqlite's own retry loop).
    private const string Prepare = "PRAGMA busy_timeout = 5000;";

    public override string ConnectionString => connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(connectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = CreateDbConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Prepare;
        command.ExecuteNonQuery();
        return connection;
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Prepare;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ClearPool();
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore()
    {
        ClearPool();
        return base.DisposeAsyncCore();
    }

    // Pooled connections keep the file (and its -wal) open; closing them lets SQLite checkpoint and the file go.
    private void ClearPool()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
