namespace Watchdog.IntegrationTests.Signals.Alerts;

/// <summary>Test classes in this collection share one Alertmanager and one intake for the whole run.</summary>
[CollectionDefinition(Name)]
public sealed class AlertmanagerTestGroup : ICollectionFixture<AlertmanagerChain>
{
    public const string Name = "alertmanager";
}
