using Microsoft.Extensions.Hosting;

namespace Watchdog.Signals.Alerts;

/// <summary>Runs <see cref="AlertIntake.RunRetentionAsync"/> every <see cref="AlertRetention.Period"/>, so that alerts age out with none arriving.</summary>
internal sealed class AlertRetentionLoop(AlertIntake intake, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AlertRetention.Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await intake.RunRetentionAsync(stoppingToken);   // logs its own failures
        }
    }
}
