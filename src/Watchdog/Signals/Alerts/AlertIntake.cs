using Microsoft.Extensions.Logging;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Telemetry;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// Takes the alerts of one webhook call: matches each to its targets, stores them all in one transaction
/// (duplicates are skipped by the store, which only renews their last-seen time), and only after the commit tells
/// <see cref="AlertBook"/>, then asks for the targets of the alerts that changed to be evaluated now
/// (<see cref="EvaluationRequests"/>), not at their next interval. Every <see cref="AlertRetention.PassEvery"/> newly
/// stored alerts it runs a retention pass.
/// </summary>
internal sealed class AlertIntake(
    IWatchdogStore store,
    AlertTargetMatcher matcher,
    AlertBook book,
    AlertRetention retention,
    EvaluationRequests evaluations,
    TimeProvider time,
    ILogger<AlertIntake> logger,
    WatchdogMetrics? metrics = null) : IDisposable
{
    // One intake transaction at a time. SQLite has one writer anyway; queueing here, in order, is far cheaper than
    // many connections polling the write lock through SQLite's busy handler, whose growing sleeps made the tail
    // latency under load hundreds of milliseconds. Retention passes queue here too.
    private readonly SemaphoreSlim _writer = new(1, 1);

    // Starts due, so that the first call after a start trims what an earlier run (or a lower max_alerts) left.
    private int _storedSincePass = retention.PassEvery;

    public void Dispose() => _writer.Dispose();

    /// <summary>A retention pass now, queued behind the intake's writes; for the periodic pass.</summary>
    public async Task RunRetentionAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            _storedSincePass = 0;
            await retention.RunOnceAsync(cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

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
            Remember(alerts, targets, stored, receivedAt);
            RequestEvaluations(targets, stored);
            _storedSincePass += stored.Count(s => s);
            if (_storedSincePass >= retention.PassEvery)
            {
                // Not the caller's token: the alerts are committed, and a caller hanging up must not make this call
                // look failed (Alertmanager would send it again) nor leave the pass half done.
                _storedSincePass = 0;
                await retention.RunOnceAsync(CancellationToken.None);
            }
        }
        finally
        {
            _writer.Release();
        }

        var storedCount = stored.Count(s => s);
        var receipt = new AlertIntakeReceipt(alerts.Count, storedCount, alerts.Count - storedCount, unmatched);
        AlertLog.Received(logger, receipt.Received, receipt.Stored, receipt.Duplicates, receipt.Unmatched);
        Count(alerts, targets, stored);
        return receipt;
    }

    private void Count(IReadOnlyList<WebhookAlert> alerts, IReadOnlyList<string>[] targets, bool[] stored)
    {
        for (var i = 0; metrics is not null && i < alerts.Count; i++)
        {
            metrics.AlertReceived(alerts[i].Status, !stored[i] ? "duplicate" : targets[i].Count == 0 ? "unmatched" : "stored");
        }
    }

    // After the book has the alerts, so the evaluation reads them. Only newly stored alerts ask: a repeat of a stored
    // one (Alertmanager's repeat_interval) changes no signal, so its targets keep their schedule.
    private void RequestEvaluations(IReadOnlyList<string>[] targets, bool[] stored)
    {
        var changed = targets.Where((_, i) => stored[i]).SelectMany(t => t).Distinct(StringComparer.Ordinal).ToList();
        if (changed.Count > 0)
        {
            evaluations.Request(changed);
        }
    }

    // Told to the book before the writer is released, so that a retention pass cannot run between the commit and
    // this and find the book behind the store. A copy stored before renews the alert's last-seen time.
    private void Remember(IReadOnlyList<WebhookAlert> alerts, IReadOnlyList<string>[] targets, bool[] stored, DateTimeOffset receivedAt)
    {
        for (var i = 0; i < alerts.Count; i++)
        {
            var alert = alerts[i];
            if (targets[i].Count == 0)
            {
                continue;
            }

            book.Record(targets[i], alert.Fingerprint, alert.AlertName, new AlertMark(alert.Status, alert.StartsAt, alert.EndsAt, receivedAt));
            if (stored[i])
            {
                AlertLog.AlertChanged(logger, alert.AlertName, alert.Status, string.Join(", ", targets[i]), alert.Fingerprint);
            }
        }
    }
}
