using System.Text.Json;
using Microsoft.Extensions.Logging;
using Watchdog.Incidents;
using Watchdog.Rules;
using Watchdog.Store;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// The latest state of every alert per (target, alert name), in memory so that reading <c>alert:*</c> signals costs
/// no query. The store is the truth: the book is filled from it once, before its first read, and the intake adds
/// each alert only after committing it. Merging is idempotent and order-free (<see cref="AlertMark.Supersedes"/>),
/// so an alert both loaded and added, or added while the load runs, counts once.
/// </summary>
internal sealed class AlertBook(IWatchdogStore store, AlertTargetMatcher matcher, ILogger<AlertBook> logger) : IDisposable
{
    /// <summary>
    /// Newest alerts read at start. Alertmanager re-sends every active alert each <c>repeat_interval</c>, so an alert
    /// older than the newest this many is either sent again or long over.
    /// </summary>
    public const int LoadLimit = 100_000;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Dictionary<(string Target, string AlertName), Dictionary<string, AlertMark>> _marks = [];
    private volatile bool _loaded;

    public void Dispose() => _loading.Dispose();

    /// <summary>Fills the book from the store, once; a failed load is tried again at the next call.</summary>
    public async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_loaded)
            {
                return;
            }

            var alerts = await store.ListAlertsAsync(LoadLimit, cancellationToken);
            var kept = 0;
            foreach (var alert in alerts)
            {
                if (LabelsOf(alert) is { } labels && matcher.Match(labels) is { Count: > 0 } targets)
                {
                    Record(targets, alert.Fingerprint, alert.AlertName, new AlertMark(alert.Status, alert.StartsAt, alert.EndsAt, alert.ReceivedAt));
                    kept++;
                }
            }

            _loaded = true;
            AlertLog.BookLoaded(logger, alerts.Count, kept);
        }
        finally
        {
            _loading.Release();
        }
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

                if (!byFingerprint.TryGetValue(fingerprint, out var known) || mark.Supersedes(known))
                {
                    byFingerprint[fingerprint] = mark;
                }
            }
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
