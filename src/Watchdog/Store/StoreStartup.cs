using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Watchdog.Records;

namespace Watchdog.Store;

/// <summary>
/// Registered before every other hosted service, so the schema is migrated before the watch loop, the executor's
/// recovery or any HTTP handler touches the store. A store that cannot be reached stops the start: a rollback
/// daemon that cannot record what it does must not act.
/// </summary>
internal sealed partial class StoreStartup(IWatchdogStore store, ILogger<StoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        Ready(logger, store.Describe());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Store ready: {Store}")]
    private static partial void Ready(ILogger logger, string store);
}
