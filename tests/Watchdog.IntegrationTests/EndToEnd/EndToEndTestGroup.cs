namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// The end-to-end scenarios share one <see cref="EndToEndWorld"/>, started once, and run one after another. Not beside
/// other collections: the world's five servers and a daemon, next to the fault suite's timing-sensitive tests on a
/// 2-core machine, would slow both into their deadlines; alone, after the others, it adds its own time and no more.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndTestGroup : ICollectionFixture<EndToEndWorld>
{
    public const string Name = "end-to-end";
}
