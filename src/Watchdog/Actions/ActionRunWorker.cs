using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Watchdog.Actions;

/// <summary>
/// Recovers interrupted runs at start-up, then carries out each run as it becomes ready, side by side (the
/// executor never lets one target have two active runs). On shutdown a step under way is left as journalled.
/// </summary>
internal sealed class ActionRunWorker(ActionExecutor executor, ReadyRuns ready, ILogger<ActionRunWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await executor.RecoverAsync(stoppingToken);
        var running = new List<Task>();
        await foreach (var runId in ready.ReadAllAsync(stoppingToken))
        {
            running.RemoveAll(t => t.IsCompleted);
            running.Add(RunAsync(runId, stoppingToken));
        }
    }

    private async Task RunAsync(long runId, CancellationToken stoppingToken)
    {
        try
        {
            await executor.ExecuteRunAsync(runId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what was journalled stays, and the next start recovers it.
        }
        catch (Exception ex)
        {
            // By design: a store outage mid-run must not stop other runs; the run stays as journalled.
            ExecutorLog.RunCrashed(logger, runId, ex);
        }
    }
}
