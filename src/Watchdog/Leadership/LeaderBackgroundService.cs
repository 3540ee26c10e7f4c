using Microsoft.Extensions.Hosting;
using Watchdog.Fencing;

namespace Watchdog.Leadership;

/// <summary>
/// A loop that runs only on the leader: it waits for a term, runs <see cref="ExecuteTermAsync"/> under the term's fence
/// until the term ends (its token cancelled) or the host stops, then waits for the next. With one replica the first
/// term begins at once and never ends, so the loop behaves as a plain <see cref="BackgroundService"/>.
/// </summary>
internal abstract class LeaderBackgroundService(LeaderState leadership) : BackgroundService
{
    protected LeaderState Leadership { get; } = leadership;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var term = await Leadership.NextTermAsync(stoppingToken);
            if (term.Ended.IsCancellationRequested)
            {
                // Handed a term that ended as it was handed over: never run in it, and never spin on it.
                await Task.Yield();
                continue;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term.Ended);
            using (WriteFence.Enter(term.Fence))
            {
                try
                {
                    await ExecuteTermAsync(linked.Token);
                }
                catch (OperationCanceledException) when (term.Ended.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    // Deposed: this term's work is over; the next term (if this replica wins again) starts it afresh.
                }
                catch (DeposedException) when (!stoppingToken.IsCancellationRequested)
                {
                    // A write refused for a term that ended under the loop's feet: the wait below lasts until the
                    // elector notices.
                }
            }

            // A loop that returned on its own while its term goes on (a one-shot), or stopped on a refused write, is not
            // run again in the same term.
            await WaitForEndAsync(term, stoppingToken);
        }
    }

    /// <summary>The loop's work for one term; <paramref name="stoppingToken"/> is cancelled when the term ends or the host stops.</summary>
    protected abstract Task ExecuteTermAsync(CancellationToken stoppingToken);

    private static async Task WaitForEndAsync(LeaderTerm term, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, term.Ended).WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (term.Ended.IsCancellationRequested)
        {
            // The term ended: go round for the next.
        }
    }
}
