using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Telemetry;

/// <summary>
/// Watchdog's own instruments, on one meter named <see cref="MeterName"/>. Every label is bounded by the
/// configuration (targets, signals, sources, channels, flags) or by an enum; never an incident id, a message or a URL.
/// Callers hold it optionally (null in tests that do not count), so each call site stays one line.
/// </summary>
internal sealed class WatchdogMetrics
{
    public const string MeterName = "Watchdog";

    private readonly Counter<long> _evaluations;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _signalErrors;
    private readonly Counter<long> _actions;
    private readonly Histogram<double> _actionDuration;
    private readonly Histogram<double> _timeToRollback;
    private readonly Histogram<double> _detectionToAction;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _notifications;
    // Measurements are kept, not values: each copies its tags into an array when made, so making them when a value
    // changes, rather than at every scrape, keeps a scrape from allocating per series.
    private readonly ConcurrentDictionary<(string Target, string Signal), Measurement<double>> _signalValues = new();
    private readonly ConcurrentDictionary<string, Measurement<int>> _sourceUp = new(StringComparer.Ordinal);

    /// <param name="thresholds">What <c>watchdog_signal_threshold</c> shows (<see cref="SignalThresholds"/>); none when null.</param>
    public WatchdogMetrics(IMeterFactory meters, FlagRolloutGauge flags, StoreGauges store, string version, Measurement<double>[]? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _evaluations = meter.CreateCounter<long>("watchdog.evaluations", description: "Target evaluations, by outcome: the decided action, inconclusive, or error.");
        _decisions = meter.CreateCounter<long>("watchdog.decisions", description: "Evaluations that decided an action other than none, by action and authority.");
        _signalErrors = meter.CreateCounter<long>("watchdog.signal.errors", description: "Signal reads that ended in an error, by target, signal and source.");
        _actions = meter.CreateCounter<long>("watchdog.actions", description: "Action runs ended, by result: succeeded, failed, refused, interrupted.");
        _actionDuration = meter.CreateHistogram("watchdog.action.duration", "s", "From an action run's start to its end.", advice: Buckets(HistogramBuckets.ActionDuration));
        _timeToRollback = meter.CreateHistogram("watchdog.time_to_rollback", "s", "From the breach's start (or its detection) to the action done, per succeeded run.", advice: Buckets(HistogramBuckets.TimeToRollback));
        _detectionToAction = meter.CreateHistogram("watchdog.detection_to_action", "s", "From an incident's detection to its action's start, per ended run.", advice: Buckets(HistogramBuckets.DetectionToAction));
        _alerts = meter.CreateCounter<long>("watchdog.alerts.received", description: "Alertmanager alerts received, by status and result: stored, duplicate, unmatched.");
        _notifications = meter.CreateCounter<long>("watchdog.notifications", description: "Notification outcomes recorded, by channel and result: sent, deferred, failed.");
        meter.CreateObservableGauge("watchdog.signal.value", () => Observe(_signalValues), description: "The last value read of a signal; absent while it has no data.");
        var fixedThresholds = thresholds ?? [];
        meter.CreateObservableGauge("watchdog.signal.threshold", () => fixedThresholds, description: "The threshold a condition of the target's policy compares the signal with; the condition label says how.");
        meter.CreateObservableGauge("watchdog.source.up", () => Observe(_sourceUp), description: "1 when the source's last read answered at least one signal, 0 when all of it failed or timed out.");
        meter.CreateObservableGauge("watchdog.flag.rollout_percent", flags.Observe, description: "The rollout percentage Watchdog last set or read for a flag.");
        meter.CreateObservableGauge("watchdog.pending_approvals", () => store.PendingApprovals, description: "Approvals waiting for a human, as the store last held.");
        meter.CreateObservableGauge("watchdog.oldest_pending_approval_age", () => store.OldestPendingApprovalAge, "s", "How long the oldest pending approval has waited; 0 when none waits.");
        meter.CreateObservableGauge("watchdog.open_incidents", () => store.OpenIncidents, description: "Incidents open, as the store last held.");
        meter.CreateObservableGauge("watchdog.oldest_open_incident_age", () => store.OldestOpenIncidentAge, "s", "How long the oldest open incident has been open; 0 when none is.");
        var build = new Measurement<int>(1, new KeyValuePair<string, object?>("version", version));
        meter.CreateObservableGauge("watchdog.build.info", () => build, description: "Always 1; the version label says which Watchdog runs.");
    }

    public void Evaluated(string target, Decision decision)
    {
        var outcome = decision.IsInconclusive ? "inconclusive" : decision.Action.ToName();
        _evaluations.Add(1, new TagList { { "target", target }, { "outcome", outcome } });
        if (decision.Action != DecisionAction.None)
        {
            _decisions.Add(1, new TagList { { "target", target }, { "action", decision.Action.ToName() }, { "authority", decision.Authority.ToName() } });
        }
    }

    public void EvaluationFailed(string target) =>
        _evaluations.Add(1, new TagList { { "target", target }, { "outcome", "error" } });

    /// <summary>A signal's value for one evaluation: a number is shown, no data hides the series, an error counts.</summary>
    public void SignalRead(string target, string signal, string source, SignalValue value)
    {
        if (value.HasNumber)
        {
            if (!_signalValues.TryGetValue((target, signal), out var shown) || !shown.Value.Equals(value.Number))
            {
                _signalValues[(target, signal)] = new Measurement<double>(value.Number, Tag("target", target), Tag("signal", signal));
            }

            return;
        }

        _signalValues.TryRemove((target, signal), out _);
        if (value.State == SignalState.Error)
        {
            _signalErrors.Add(1, new TagList { { "target", target }, { "signal", signal }, { "source", source } });
        }
    }

    public void SourceAnswered(string source, bool up)
    {
        if (!_sourceUp.TryGetValue(source, out var shown) || shown.Value != (up ? 1 : 0))
        {
            _sourceUp[source] = new Measurement<int>(up ? 1 : 0, Tag("source", source));
        }
    }

    /// <summary>A run's end: its result, its duration, and for the incident the times the SRE cares about.</summary>
    /// <param name="incident">The run's incident; null when the store no longer has it (only the run is counted).</param>
    public void RunEnded(Incident? incident, ActionRun run, string result, DateTimeOffset endedAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        var action = run.Action.ToName();
        _actions.Add(1, new TagList { { "target", run.Target }, { "action", action }, { "result", result } });
        if (run.StartedAt is { } started)
        {
            _actionDuration.Record(Seconds(endedAt - started), new TagList { { "action", action } });
        }

        if (incident?.ActionStartedAt is { } actionStarted)
        {
            _detectionToAction.Record(Seconds(actionStarted - incident.DetectedAt), new TagList { { "target", run.Target } });
        }

        if (incident is not null && result == ActionResults.Succeeded)
        {
            _timeToRollback.Record(Seconds(endedAt - incident.BreachOrDetectedAt), new TagList { { "target", run.Target } });
        }
    }

    /// <param name="status">The alert's status as Alertmanager sent it; anything but <c>resolved</c> counts as firing.</param>
    /// <param name="result"><c>stored</c>, <c>duplicate</c> or <c>unmatched</c>.</param>
    public void AlertReceived(string status, string result) =>
        _alerts.Add(1, new TagList { { "status", status == "resolved" ? "resolved" : "firing" }, { "result", result } });

    public void NotificationRecorded(string channel, NotificationStatus status) =>
        _notifications.Add(1, new TagList { { "channel", channel }, { "result", status.ToName() } });

    // A clock that went backwards is no negative duration.
    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);

    private static InstrumentAdvice<double> Buckets(IReadOnlyList<double> bounds) => new() { HistogramBucketBoundaries = bounds };

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    // The dictionary's enumerator, not its Values (a copy): one enumerator per scrape, nothing per series.
    private static IEnumerable<Measurement<T>> Observe<TKey, T>(ConcurrentDictionary<TKey, Measurement<T>> shown)
        where TKey : notnull
        where T : struct
    {
        foreach (var (_, measurement) in shown)
        {
            yield return measurement;
        }
    }
}
