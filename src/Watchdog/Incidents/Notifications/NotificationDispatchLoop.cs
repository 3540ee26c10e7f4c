using Watchdog.Configuration;
using Watchdog.Leadership;

namespace Watchdog.Incidents.Notifications;

/// <summary>Empties the outbox every poll interval: a thin loop around <see cref="NotificationDispatcher.RunOnceAsync"/>.</summary>
internal sealed class NotificationDispatchLoop(
    NotificationDispatcher dispatcher, NotificationDispatchOptions options, TimeProvider time, LeaderState? leadership = null)
    : LeaderBackgroundService(leadership ?? LeaderState.Solo(time))
{
    protected override async Task ExecuteTermAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval, time);
        do
        {
            await dispatcher.RunOnceAsync(stoppingToken);   // records and logs its own failures; throws only on shutdown
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
