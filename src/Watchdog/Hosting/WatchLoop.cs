using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Watchdog.Hosting;

/// <summary>The daemon's heartbeat: a thin loop around <see cref="WatchCycle.RunOnceAsync"/>, which holds all the behaviour.</summary>
internal sealed class WatchLoop(WatchCycle cycle, TimeProvider time, ILogger<WatchLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WatchLog.Watching(logger, cycle.TargetCount, cycle.TickPeriod);

        // The timer starts before the first cycle, so the schedule does not slip by however long that cycle takes.
        using var timer = new PeriodicTimer(cycle.TickPeriod, time);
        do
        {
            await cycle.RunOnceAsync(stoppingToken);   // catches, logs and counts its own failures
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
