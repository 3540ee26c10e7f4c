using Microsoft.Extensions.Logging;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Telemetry;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// Takes the alerts of one webhook call: matches each to its targets, stores them with those of the calls waiting at the
/// same time in one transaction (group commit, <see cref="GroupCommit{T}"/>; duplicates are skipped by the store, which
/// only renews their last-seen time), and only after the commit tells <see cref="AlertBook"/>, then asks for the targets
/// of the alerts that changed to be evaluated now (<see cref="EvaluationRequests"/>), not at their next interval. Every
/// <see cref="AlertRetention.PassEvery"/> newly stored alerts it runs a retention pass.
/// </summary>
internal sealed class AlertIntake : IDisposable
{
    // Calls written in one transaction at most; bounds the transaction, and 16 connections fit in one.
    private const int MaxGroup = 64;

    // One intake transaction at a time. SQLite has one writer anyway; queueing here, in order, is far cheaper than
    // many connections polling the write lock through SQLite's busy handler, whose growing sleeps made the tail
    // latency under load hundreds of milliseconds. Retention passes queue here too.
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly GroupCommit<AlertIntakeCall> _groups;
    private readonly IWatchdogStore _store;
    private readonly AlertTargetMatcher _matcher;
    private readonly AlertBook _book;
    private readonly AlertRetention _retention;
    private readonly EvaluationRequests _evaluations;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertIntake> _logger;
    private readonly WatchdogMetrics? _metrics;

    // Starts due, so that the first call after a start trims what an earlier run (or a lower max_alerts) left.
    private int _storedSincePass;

    public AlertIntake(
        IWatchdogStore store,
        AlertTargetMatcher matcher,
        AlertBook book,
        AlertRetention retention,
        EvaluationRequests evaluations,
        TimeProvider time,
        ILogger<AlertIntake> logger,
        WatchdogMetrics? metrics = null)
    {
        _store = store;
        _matcher = matcher;
        _book = book;
        _retention = retention;
        _evaluations = evaluations;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _storedSincePass = retention.PassEvery;
        _groups = new GroupCommit<AlertIntakeCall>(WriteGroupAsync, MaxGroup);
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>A retention pass now, queued behind the intake's writes; for the periodic pass.</summary>
    public async Task RunRetentionAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            _storedSincePass = 0;
            await _retention.RunOnceAsync(cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Throws when the store fails: then nothing of the call (nor of the calls written with it) was written, and the
    /// caller answers 5xx. Returns only after the commit that holds the call's alerts.
    /// </summary>
    public async Task<AlertIntakeReceipt> IngestAsync(IReadOnlyList<WebhookAlert> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var targets = new IReadOnlyList<string>[alerts.Count];
        var unmatched = 0;
        for (var i = 0; i < alerts.Count; i++)
        {
            targets[i] = _matcher.Match(alerts[i].Labels);
            unmatched += targets[i].Count == 0 ? 1 : 0;
        }

        var call = new AlertIntakeCall(alerts, targets, _time.GetUtcNow());
        await _groups.SubmitAsync(call, cancellationToken);

        var storedCount = call.Stored.Count(s => s);
        var receipt = new AlertIntakeReceipt(alerts.Count, storedCount, alerts.Count - storedCount, unmatched);
        AlertLog.Received(_logger, receipt.Received, receipt.Stored, receipt.Duplicates, receipt.Unmatched);
        Count(alerts, targets, call.Stored);
        return receipt;
    }

    // Not a caller's token: the group belongs to several callers, and one hanging up must not fail the others (the
    // store's own command timeouts bound a hung store). A call that is alone is a group of one.
    private async Task WriteGroupAsync(IReadOnlyList<AlertIntakeCall> calls)
    {
        await _writer.WaitAsync(CancellationToken.None);
        try
        {
            await using (var transaction = await _store.BeginAsync(CancellationToken.None))
            {
                foreach (var call in calls)
                {
                    for (var i = 0; i < call.Alerts.Count; i++)
                    {
                        var alert = call.Alerts[i];
                        call.Stored[i] = await transaction.TryInsertAlertAsync(
                            new ReceivedAlert(alert.Fingerprint, alert.Status, alert.AlertName, alert.StartsAt, alert.EndsAt, call.ReceivedAt, AlertTargets.Join(call.Targets[i]), alert.Payload),
                            CancellationToken.None);
                    }
                }

                await transaction.CommitAsync(CancellationToken.None);
            }

            foreach (var call in calls)
            {
                Remember(call.Alerts, call.Targets, call.Stored, call.ReceivedAt);
                _storedSincePass += call.Stored.Count(s => s);
            }

            RequestEvaluations(calls);
            if (_storedSincePass >= _retention.PassEvery)
            {
                // The alerts are committed: a caller hanging up must not make its call look failed (Alertmanager
                // would send it again) nor leave the pass half done.
                _storedSincePass = 0;
                await _retention.RunOnceAsync(CancellationToken.None);
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    private void Count(IReadOnlyList<WebhookAlert> alerts, IReadOnlyList<string>[] targets, bool[] stored)
    {
        for (var i = 0; _metrics is not null && i < alerts.Count; i++)
        {
            _metrics.AlertReceived(alerts[i].Status, !stored[i] ? "duplicate" : targets[i].Count == 0 ? "unmatched" : "stored");
        }
    }

    // After the book has the alerts, so the evaluation reads them. Only newly stored alerts ask: a repeat of a stored
    // one (Alertmanager's repeat_interval) changes no signal, so its targets keep their schedule.
    private void RequestEvaluations(IReadOnlyList<AlertIntakeCall> calls)
    {
        var changed = calls.SelectMany(c => c.Targets.Where((_, i) => c.Stored[i])).SelectMany(t => t).Distinct(StringComparer.Ordinal).ToList();
        if (changed.Count > 0)
        {
            _evaluations.Request(changed);
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

            _book.Record(targets[i], alert.Fingerprint, alert.AlertName, new AlertMark(alert.Status, alert.StartsAt, alert.EndsAt, receivedAt));
            if (stored[i])
            {
                AlertLog.AlertChanged(_logger, alert.AlertName, alert.Status, string.Join(", ", targets[i]), alert.Fingerprint);
            }
        }
    }
}
