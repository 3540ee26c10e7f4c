namespace Watchdog.IntegrationTests.Servers;

/// <summary>Test classes in this collection share one Unleash (and its PostgreSQL) for the whole run.</summary>
[CollectionDefinition(Name)]
public sealed class UnleashTestGroup : ICollectionFixture<UnleashServer>
{
    public const string Name = "unleash";
}
