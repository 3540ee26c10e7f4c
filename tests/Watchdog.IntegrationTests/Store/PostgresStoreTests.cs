using System.Data.Common;
using Npgsql;
using Watchdog.IntegrationTests.Servers;
using Watchdog.Records;
using Watchdog.Store;

namespace Watchdog.IntegrationTests.Store;

/// <summary>The store contract on a real PostgreSQL 15: one server per run, a fresh database per test.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class PostgresStoreTests(PostgresServer server) : SqlStoreContractTests
{
    protected override Task<string> CreateDatabaseAsync() => server.CreateDatabaseAsync();

    private protected override IWatchdogStore Open(string location) => WatchdogStoreFactory.OpenPostgres(location);

    protected override async Task<DbConnection> OpenRawAsync(string location)
    {
        // Unpooled: an idle pooled connection per test database would add up towards max_connections.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(location) { Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        return connection;
    }

    [Fact]
    public async Task Describe_SaysWhereButNeverThePassword()
    {
        // Trust authentication accepts any password, so the store really connects with this one.
        var withPassword = new NpgsqlConnectionStringBuilder(Location) { Password = "hunter2-secret" }.ToString();
        await using var store = WatchdogStoreFactory.OpenPostgres(withPassword);
        await store.MigrateAsync(Ct);

        var description = store.Describe();

        description.ShouldBe($"postgres://postgres@127.0.0.1:{server.Port}/{new NpgsqlConnectionStringBuilder(Location).Database}");
        description.ShouldNotContain("hunter2");
    }
}
