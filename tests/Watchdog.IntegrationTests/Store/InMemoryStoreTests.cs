using Watchdog.Records;

namespace Watchdog.IntegrationTests.Store;

/// <summary>The unit tests' in-memory store must keep the contract the real stores keep.</summary>
public sealed class InMemoryStoreTests : StoreContractTests
{
    private protected override Task<IWatchdogStore> CreateStoreAsync() => Task.FromResult<IWatchdogStore>(new InMemoryWatchdogStore());
}
