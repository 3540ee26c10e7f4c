namespace Watchdog.IntegrationTests.Servers;

/// <summary>Test classes in this collection share one PostgreSQL server for the whole run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTestGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
