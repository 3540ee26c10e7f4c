using System.Text.Json;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// The latest state of every alert per (target, alert name), in memory so that reading <c>alert:*</c> signals costs
/// no query. The store is the truth: the book is filled from it once, before its first read, and the intake adds
/// each alert only after committing it. Merging is idempotent and order-free (<see cref="AlertMark.Supersedes"/>),
/// so an alert both loaded and added, or added while the load runs, counts once. <see cref="Evict"/> keeps it within
/// the same retention and cap as the store. With several replicas, alerts reach the store through any replica's
/// intake: the book is filled again at each term and, while following them, merges in what they stored since.
/// </summary>
internal sealed class AlertBook(
    IWatchdogStore store,
    AlertTargetMatcher matcher,
    AlertmanagerIntakeOptions options,
    TimeProvider time,
    ILogger<AlertBook> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Dictionary<(string Target, string AlertName), Dictionary<string, AlertMark>> _marks = [];
    private volatile bool _loaded;
    private volatile bool _followsOthers;
    private DateTimeOffset _since;
    private int _held;

    /// <summary>How many marks the book holds: one per alert and target it matched.</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    public void Dispose() => _loading.Dispose();

    /// <summary>
    /// How far back each look for other replicas' alerts reaches before the previous look: a row's times are stamped by
    /// the replica that received it before its commit, so a row can become visible a little after the time it carries
    /// (group commit, clock drift between replicas). Rows read twice merge idempotently.
    /// </summary>
    public static readonly TimeSpan CatchUpMargin = TimeSpan.FromSeconds(15);

    /// <summary>
    /// With several replicas on one store, other replicas' intakes store alerts this book never hears of: from now on
    /// each <see cref="CatchUpAsync"/> also merges in the rows seen since the last look.
    /// </summary>
    public void FollowOtherReplicas() => _followsOthers = true;

    /// <summary>The next read fills the book from the store again (merged into what it holds): a new term begins.</summary>
    public void Reload() => _loaded = false;

    /// <summary>Fills the book from the store, once; a failed load is tried again at the next call.</summary>
    public Task EnsureLoadedAsync(CancellationToken cancellationToken) => CatchUpAsync(loadOnly: true, cancellationToken);

    /// <summary>
    /// <see cref="EnsureLoadedAsync"/>, then, when following other replicas, merges in the alerts stored or seen
    /// again since the last look (bounded by the cap, least recently seen first, the rest at the next call).
    /// </summary>
    public Task CatchUpAsync(CancellationToken cancellationToken) => CatchUpAsync(loadOnly: false, cancellationToken);

    private async Task CatchUpAsync(bool loadOnly, CancellationToken cancellationToken)
    {
        if (_loaded && (loadOnly || !_followsOthers))
        {
            return;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (!_loaded)
            {
                await LoadAsync(cancellationToken);
            }
            else if (!loadOnly && _followsOthers)
            {
                await MergeSeenSinceAsync(cancellationToken);
            }
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();

        // The store holds max_alerts, plus the alerts still firing that the cap spares; the newest max_alerts
        // are the ones that matter, and Alertmanager re-sends any firing one left out at its repeat_interval.
        var alerts = await store.ListAlertsAsync(options.MaxAlerts, cancellationToken);
        var kept = Merge(alerts, started);
        _since = started - CatchUpMargin;
        _loaded = true;
        AlertLog.BookLoaded(logger, alerts.Count, kept);
    }

    private async Task MergeSeenSinceAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var alerts = await store.ListAlertsSeenSinceAsync(_since, options.MaxAlerts, cancellationToken);
        Merge(alerts, started);

        // A full page leaves rows unread: the next look starts where this one stopped (rows at that instant come
        // again, harmlessly), else a margin before this look.
        _since = alerts.Count >= options.MaxAlerts && alerts[^1].LastSeenAt > _since ? alerts[^1].LastSeenAt : started - CatchUpMargin;
    }

    private int Merge(IReadOnlyList<ReceivedAlert> alerts, DateTimeOffset now)
    {
        var seenSince = now - options.Retention;
        var kept = 0;
        foreach (var alert in alerts)
        {
            var lastSeen = alert.LastSeenAt > alert.ReceivedAt ? alert.LastSeenAt : alert.ReceivedAt;
            if (lastSeen >= seenSince && LabelsOf(alert) is { } labels && matcher.Match(labels) is { Count: > 0 } targets)
            {
                Record(targets, alert.Fingerprint, alert.AlertName, new AlertMark(alert.Status, alert.StartsAt, alert.EndsAt, lastSeen));
                kept++;
            }
        }

        return kept;
    }

    public void Record(IReadOnlyList<string> targets, string fingerprint, string alertName, AlertMark mark)
    {
        ArgumentNullException.ThrowIfNull(targets);
        lock (_gate)
        {
            foreach (var target in targets)
            {
                if (!_marks.TryGetValue((target, alertName), out var byFingerprint))
                {
                    _marks[(target, alertName)] = byFingerprint = new Dictionary<string, AlertMark>(StringComparer.Ordinal);
                }

                if (!byFingerprint.TryGetValue(fingerprint, out var known))
                {
                    byFingerprint[fingerprint] = mark;
                    _held++;
                }
                else if (mark.Supersedes(known))
                {
                    byFingerprint[fingerprint] = mark;
                }
            }
        }
    }

    /// <summary>
    /// Forgets marks last seen before <paramref name="seenBefore"/>, then, past <paramref name="keep"/> marks, the
    /// least recently seen of those no longer firing at <paramref name="now"/>. A firing mark seen within the
    /// retention is never forgotten (as in the store), so the book can hold more than <paramref name="keep"/> while
    /// that many alerts fire. Returns how many marks were forgotten.
    /// </summary>
    public int Evict(DateTimeOffset now, DateTimeOffset seenBefore, int keep)
    {
        lock (_gate)
        {
            var before = _held;
            var resting = new List<(DateTimeOffset LastSeenAt, Dictionary<string, AlertMark> Marks, string Fingerprint)>();
            foreach (var (key, byFingerprint) in _marks.ToList())
            {
                foreach (var (fingerprint, mark) in byFingerprint.ToList())
                {
                    if (mark.LastSeenAt < seenBefore)
                    {
                        byFingerprint.Remove(fingerprint);
                        _held--;
                    }
                    else if (!mark.IsFiringAt(now))
                    {
                        resting.Add((mark.LastSeenAt, byFingerprint, fingerprint));
                    }
                }
            }

            if (_held > keep)
            {
                foreach (var (_, byFingerprint, fingerprint) in resting.OrderBy(r => r.LastSeenAt).Take(_held - keep))
                {
                    byFingerprint.Remove(fingerprint);
                    _held--;
                }
            }

            // An alert name whose alerts all aged out keeps reading 0 (seen, none firing) rather than turning back
            // into no data, which would make its targets' decisions inconclusive; only a flood of distinct names
            // (more than the cap) costs it that.
            if (_marks.Count > keep)
            {
                foreach (var key in _marks.Where(m => m.Value.Count == 0).Select(m => m.Key).ToList())
                {
                    _marks.Remove(key);
                }
            }

            return before - _held;
        }
    }

    /// <summary>1 while any alert of that name is firing for the target, 0 once all have resolved, no data if none was ever seen.</summary>
    public SignalValue ValueOf(string target, string alertName, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_marks.TryGetValue((target, alertName), out var byFingerprint))
            {
                return SignalValue.NoData;
            }

            foreach (var mark in byFingerprint.Values)
            {
                if (mark.IsFiringAt(now))
                {
                    return SignalValue.Of(1);
                }
            }

            return SignalValue.Of(0);
        }
    }

    // Matched again from the labels, not from the stored target names, so that targets added or re-matched in
    // the configuration since the alert arrived see it too.
    private Dictionary<string, string>? LabelsOf(ReceivedAlert alert)
    {
        try
        {
            using var document = JsonDocument.Parse(alert.Payload);
            if (!document.RootElement.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return labels.EnumerateObject()
                .Where(label => label.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(label => label.Name, label => label.Value.GetString()!, StringComparer.Ordinal);
        }
        catch (JsonException exception)
        {
            AlertLog.StoredPayloadUnreadable(logger, alert.Id, exception.Message);
            return null;
        }
    }
}
