using Watchdog.Configuration;
using Watchdog.Store;

namespace Watchdog.IntegrationTests.Store;

public sealed class WatchdogStoreFactoryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Create_Sqlite_ResolvesARelativePathAgainstTheConfigFolder_AndCreatesItsFolder()
    {
        var options = new StoreOptions { Kind = StoreKind.Sqlite, Path = Path.Combine("data", "watchdog.db") };

        await using var store = WatchdogStoreFactory.Create(options, _directory.Path);
        await store.MigrateAsync(CancellationToken.None);

        var expected = Path.Combine(_directory.Path, "data", "watchdog.db");
        store.Describe().ShouldBe($"sqlite:{expected}");
        File.Exists(expected).ShouldBeTrue();
    }

    [Fact]
    public async Task Create_Sqlite_KeepsAnAbsolutePathAsTheConfigLoaderGivesIt()
    {
        var absolute = Path.Combine(_directory.Path, "elsewhere", "store.db");

        await using var store = WatchdogStoreFactory.Create(new StoreOptions { Path = absolute }, "/nonexistent/config");

        store.Describe().ShouldBe($"sqlite:{absolute}");
    }

    [Fact]
    public async Task Create_Postgres_UsesTheConnectionString_AndDescribesItWithoutThePassword()
    {
        var options = new StoreOptions
        {
            Kind = StoreKind.Postgres,
            ConnectionString = "Host=db.internal;Port=5433;Database=watchdog;Username=wd;Password=s3cret-value",
        };

        await using var store = WatchdogStoreFactory.Create(options, _directory.Path);

        store.Describe().ShouldBe("postgres://wd@db.internal:5433/watchdog");
    }

    [Fact]
    public void Create_PostgresWithoutAConnectionString_Throws()
    {
        Should.Throw<ArgumentException>(() => WatchdogStoreFactory.Create(new StoreOptions { Kind = StoreKind.Postgres }, _directory.Path))
            .Message.ShouldContain("connection_string");
    }

    public void Dispose() => _directory.Dispose();
}
