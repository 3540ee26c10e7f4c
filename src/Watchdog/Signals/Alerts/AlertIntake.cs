using Microsoft.Extensions.Logging;
using Watchdog.Incidents;
using Watchdog.Store;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// Takes the alerts of one webhook call: matches each to its targets, stores them all in one transaction
/// (duplicates are skipped by the store), and only after the commit tells <see cref="AlertBook"/>.
/// </summary>
internal sealed class AlertIntake(
    IWatchdogStore store,
    AlertTargetMatcher matcher,
    AlertBook book,
    TimeProvider time,
    ILogger<AlertIntake> logger) : IDisposable
{
    // One intake transaction at a time. SQLite has one writer anyway; queueing here, in order, is far cheaper than
    // many connections polling the write lock through SQLite's busy handler, whose growing sleeps made the tail
    // latency under load hundreds of milliseconds.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public void Dispose() => _writer.Dispose();

    /// <summary>Throws when the store fails: then nothing of the call was written, and the caller answers 5xx.</summary>
    public async Task<AlertIntakeReceipt> IngestAsync(IReadOnlyList<WebhookAlert> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var receivedAt = time.GetUtcNow();
        var targets = new IReadOnlyList<string>[alerts.Count];
        var stored = new bool[alerts.Count];
        var unmatched = 0;
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = await store.BeginAsync(cancellationToken);
            for (var i = 0; i < alerts.Count; i++)
            {
                var alert = alerts[i];
                targets[i] = matcher.Match(alert.Labels);
                unmatched += targets[i].Count == 0 ? 1 : 0;
                stored[i] = await transaction.TryInsertAlertAsync(
                    new ReceivedAlert(alert.Fingerprint, alert.Status, alert.AlertName, alert.StartsAt, alert.EndsAt, receivedAt, AlertTargets.Join(targets[i]), alert.Payload),
                    cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _writer.Release();
        }

        var storedCount = 0;
        for (var i = 0; i < alerts.Count; i++)
        {
            if (!stored[i])
            {
                continue;
            }

            storedCount++;
            var alert = alerts[i];
            if (targets[i].Count > 0)
            {
                book.Record(targets[i], alert.Fingerprint, alert.AlertName, new AlertMark(alert.Status, alert.StartsAt, alert.EndsAt, receivedAt));
                AlertLog.AlertChanged(logger, alert.AlertName, alert.Status, string.Join(", ", targets[i]), alert.Fingerprint);
            }
        }

        var receipt = new AlertIntakeReceipt(alerts.Count, storedCount, alerts.Count - storedCount, unmatched);
        AlertLog.Received(logger, receipt.Received, receipt.Stored, receipt.Duplicates, receipt.Unmatched);
        return receipt;
    }
}
