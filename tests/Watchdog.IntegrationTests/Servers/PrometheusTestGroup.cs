namespace Watchdog.IntegrationTests.Servers;

/// <summary>Test classes in this collection share one Prometheus (and its scrape target) for the whole run.</summary>
[CollectionDefinition(Name)]
public sealed class PrometheusTestGroup : ICollectionFixture<PrometheusServer>
{
    public const string Name = "prometheus";
}
