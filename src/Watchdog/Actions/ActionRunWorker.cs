using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Fencing;
using Watchdog.Leadership;

namespace Watchdog.Actions;

/// <summary>
/// Recovers interrupted runs at start-up, then carries out each run as it becomes ready, side by side (the
/// executor never lets one target have two active runs, and a run already being carried out is not started twice).
/// A run whose execution failed (the store away past its retry window) is recovered once the store answers, and
/// decided approvals that never reached their run are handed over: every <see cref="SweepInterval"/>, so neither is
/// left waiting for a restart. On shutdown no run is started and no further step begins; a step under way is given
/// <c>ha.shutdown_grace</c> to finish (journalled as it ends, so the next start or leader continues the run from its
/// next step), and one that outlasts the grace is cancelled and left as journalled, for the recovery rules.
/// </summary>
internal sealed class ActionRunWorker(
    ActionExecutor executor, RunRecovery recovery, ReadyRuns ready, TimeProvider time, ILogger<ActionRunWorker> logger,
    LeaderState? leadership = null, WatchdogOptions? options = null)
    : LeaderBackgroundService(leadership ?? LeaderState.Solo(time))
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, byte> _active = new();
    private readonly ConcurrentDictionary<long, byte> _failed = new();
    private readonly CancellationTokenSource _draining = new();
    private readonly CancellationTokenSource _abandoned = new();
    private readonly TimeSpan _grace = (options?.Ha ?? new HaOptions()).ShutdownGrace;
    private int _storeAway;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop beginning steps now; cancel the step under way only once the grace is over (or the host gives up first).
        await _draining.CancelAsync();
        _abandoned.CancelAfter(_grace);
        using var hostGaveUp = cancellationToken.Register(_abandoned.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _draining.Dispose();
        _abandoned.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteTermAsync(CancellationToken stoppingToken)
    {
        while (!await TryAsync(() => recovery.RecoverAsync(stoppingToken), stoppingToken))
        {
            await Task.Delay(SweepInterval, time, stoppingToken);
        }

        // A run's steps stop at once when the term ends (deposed), but on shutdown only after the grace.
        using var stepping = CancellationTokenSource.CreateLinkedTokenSource(Leadership.Term?.Ended ?? stoppingToken, _abandoned.Token);
        var sweeping = SweepAsync(stoppingToken);
        var running = new List<Task>();
        try
        {
            await foreach (var runId in ready.ReadAllAsync(stoppingToken))
            {
                running.RemoveAll(t => t.IsCompleted);
                if (_active.TryAdd(runId, 0))
                {
                    running.Add(RunAsync(runId, stepping.Token));
                }
            }
        }
        finally
        {
            // Whatever ends the term's work, the runs under way end (or pause between steps) before it returns.
            await Task.WhenAll(running);
            await sweeping;
        }
    }

    private async Task RunAsync(long runId, CancellationToken stoppingToken)
    {
        using var span = RunTracing.StartRun(runId, ready.TakeQueuedIn(runId));
        try
        {
            await executor.ExecuteRunAsync(runId, stoppingToken, _draining.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down, or deposed: what was journalled stays, and the next start (or leader) recovers it.
        }
        catch (DeposedException ex)
        {
            // This replica's term ended mid-run: stop at once and record nothing further; the new leader recovers the run.
            ExecutorLog.RunDeposed(logger, runId, ex.Message);
        }
        catch (Exception ex)
        {
            // By design: a store outage mid-run must not stop other runs; the sweep recovers this one once the store answers.
            ExecutorLog.RunCrashed(logger, runId, ex);
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            _failed.TryAdd(runId, 0);
        }
        finally
        {
            _active.TryRemove(runId, out _);
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Hands over decided approvals and recovers failed runs; a store still away is tried at the next tick.</summary>
    internal async Task SweepOnceAsync(CancellationToken stoppingToken)
    {
        await TryAsync(() => recovery.CompleteHandOversAsync(stoppingToken), stoppingToken);
        foreach (var runId in _failed.Keys)
        {
            if (_active.ContainsKey(runId))
            {
                continue;
            }

            string? outcome = null;
            if (await TryAsync(async () => outcome = await recovery.RecoverRunAsync(runId, stoppingToken), stoppingToken))
            {
                _failed.TryRemove(runId, out _);
                ExecutorLog.RunRecovered(logger, runId, outcome!);
            }
        }
    }

    private async Task<bool> TryAsync(Func<Task> work, CancellationToken stoppingToken)
    {
        try
        {
            await work();
            Interlocked.Exchange(ref _storeAway, 0);
            return true;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // By design: the store may still be away; the next tick tries again. Said once per outage, not per tick.
            if (Interlocked.Exchange(ref _storeAway, 1) == 0)
            {
                ExecutorLog.RecoveryFailed(logger, DurationText.Human(SweepInterval), ex.Message);
            }

            return false;
        }
    }
}
