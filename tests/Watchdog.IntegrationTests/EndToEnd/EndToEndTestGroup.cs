namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>The end-to-end scenarios share one <see cref="EndToEndWorld"/>, started once, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndTestGroup : ICollectionFixture<EndToEndWorld>
{
    public const string Name = "end-to-end";
}
