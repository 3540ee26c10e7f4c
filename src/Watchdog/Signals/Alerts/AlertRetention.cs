using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Records;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// One retention pass over the received alerts, in the store (one DELETE) and in <see cref="AlertBook"/>: what was
/// last seen longer than <c>retention</c> ago goes, and past the cap the earliest received go, except alerts still
/// firing for a target. A pass trims to <see cref="Keep"/>, a little under <c>max_alerts</c>, so that the
/// <see cref="PassEvery"/> alerts stored until the next pass still fit under it.
/// </summary>
internal sealed class AlertRetention(
    IWatchdogStore store,
    AlertBook book,
    AlertmanagerIntakeOptions options,
    TimeProvider time,
    ILogger<AlertRetention> logger)
{
    /// <summary>How often a pass runs when no alert arrives: retention is counted in days, so minutes late is on time.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    /// <summary>A pass after this many newly stored alerts: one in twenty of the cap, so a pass is rare and cheap.</summary>
    public int PassEvery => Math.Max(1, options.MaxAlerts / 20);

    public int Keep => options.MaxAlerts - PassEvery;

    /// <summary>Never throws for a store that fails: the pass is tried again at the next one.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var seenBefore = now - options.Retention;
        var removed = 0;
        try
        {
            await using var transaction = await store.BeginAsync(cancellationToken);
            removed = await transaction.PruneAlertsAsync(new AlertPrune(now, seenBefore, Keep), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // By design, any failure: the alerts just stay a little longer, and the next pass removes them; the book
            // below is trimmed all the same, since what it holds is memory, whatever the store does.
            AlertLog.RetentionFailed(logger, exception);
        }

        var evicted = book.Evict(now, seenBefore, Keep);
        if (removed > 0 || evicted > 0)
        {
            AlertLog.RetentionPassed(logger, removed, evicted, book.Held);
        }
    }
}
