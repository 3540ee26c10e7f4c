using System.Data.Common;
using Microsoft.Data.Sqlite;
using Watchdog.Records;
using Watchdog.Store;

namespace Watchdog.IntegrationTests.Store;

/// <summary>The store contract on SQLite: a database file of its own per test, in a temporary folder.</summary>
public sealed class SqliteStoreTests : SqlStoreContractTests
{
    private readonly TempDirectory _directory = new();

    protected override Task<string> CreateDatabaseAsync() =>
        Task.FromResult(Path.Combine(_directory.Path, $"{Guid.NewGuid():N}", "watchdog.db"));

    private protected override IWatchdogStore Open(string location) => WatchdogStoreFactory.OpenSqlite(location);

    protected override async Task<DbConnection> OpenRawAsync(string location)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = location, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        return connection;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _directory.Dispose();
        }

        base.Dispose(disposing);
    }

    [Fact]
    public async Task Database_IsInWalMode_WithAWalFileBesideIt()
    {
        await InTransactionAsync(tx => tx.InsertIncidentAsync(StoreSamples.Incident(), Ct));

        (await QueryRowAsync("PRAGMA journal_mode")).ShouldBe(["wal"]);
        File.Exists(Location + "-wal").ShouldBeTrue();
    }

    [Fact]
    public void Describe_NamesTheFile()
    {
        Store.Describe().ShouldBe($"sqlite:{Location}");
    }

    [Fact]
    public async Task OpenSqlite_CreatesTheMissingFolder()
    {
        var path = Path.Combine(_directory.Path, "deep", "er", "watchdog.db");

        await using var store = WatchdogStoreFactory.OpenSqlite(path);
        await store.MigrateAsync(Ct);

        File.Exists(path).ShouldBeTrue();
    }
}
