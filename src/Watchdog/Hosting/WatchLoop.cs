using Microsoft.Extensions.Logging;
using Watchdog.Leadership;

namespace Watchdog.Hosting;

/// <summary>
/// The daemon's heartbeat: a thin loop around <see cref="WatchCycle.RunOnceAsync"/>, which holds all the behaviour.
/// It runs a cycle at every tick, and between ticks as soon as a signal asks for an evaluation.
/// </summary>
internal sealed class WatchLoop(WatchCycle cycle, TimeProvider time, ILogger<WatchLoop> logger, LeaderState? leadership = null)
    : LeaderBackgroundService(leadership ?? LeaderState.Solo(time))
{
    /// <summary>Requests arriving this close together (the alerts of one Alertmanager flush) share one cycle.</summary>
    internal static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(5);

    protected override async Task ExecuteTermAsync(CancellationToken stoppingToken)
    {
        WatchLog.Watching(logger, cycle.TargetCount, cycle.TickPeriod);

        // The timer starts before the first cycle, so the schedule does not slip by however long that cycle takes.
        // Each wait is kept until it completes, not started anew every cycle: the timer allows one wait at a time,
        // and a wait dropped unfinished would stay registered with the token until shutdown.
        using var timer = new PeriodicTimer(cycle.TickPeriod, time);
        Task<bool>? tick = null;
        Task? request = null;
        do
        {
            await cycle.RunOnceAsync(stoppingToken);   // catches, logs and counts its own failures
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            request ??= cycle.WaitForRequestAsync(stoppingToken);
            if (await Task.WhenAny(tick, request) == tick)
            {
                tick = null;
            }
            else
            {
                request = null;
                await Task.Delay(CoalesceWindow, time, stoppingToken);
            }
        }
        while (!stoppingToken.IsCancellationRequested);
    }
}
