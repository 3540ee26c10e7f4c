using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Telemetry;

namespace Watchdog.Hosting;

/// <summary>
/// One tick of the watch loop: evaluates every target whose interval is due, and every target a signal asked to
/// have evaluated now (<see cref="EvaluationRequests"/>), keeping one policy state per target between ticks, and
/// publishes a <see cref="TargetStatus"/> per target. Called by one caller at a time (the loop, or a test), which is
/// what keeps a target to one evaluation at a time; the statuses may be read from any thread.
/// </summary>
internal sealed class WatchCycle
{
    private static readonly TimeSpan MinimumTick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan IdleTick = TimeSpan.FromSeconds(1);

    // Timers may fire a few milliseconds ahead of the wall clock; a target due that close to now is due now,
    // rather than a whole tick late. At most half the smallest tick, so it never pulls in the next slot.
    private static readonly TimeSpan EarlyTolerance = TimeSpan.FromMilliseconds(50);

    private readonly TargetWatch[] _targets;
    private readonly ISignalSource[] _sources;
    private readonly TimeSpan _deadline;
    private readonly TimeProvider _time;
    private readonly ILogger<WatchCycle> _logger;
    private readonly IDecisionHandler? _decisions;
    private readonly EvaluationRequests? _requests;
    private readonly WatchdogMetrics? _metrics;
    private long _completedCycles;

    public WatchCycle(
        WatchdogOptions options,
        IReadOnlyDictionary<string, CompiledPolicy> policies,
        IEnumerable<ISignalSource> sources,
        TimeProvider time,
        ILogger<WatchCycle> logger,
        IDecisionHandler? decisions = null,
        EvaluationRequests? requests = null,
        WatchdogMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policies);
        _targets = [.. options.Targets.Select(target => new TargetWatch(target, PolicyFor(target, policies)))];
        _sources = [.. sources];
        _deadline = options.Sources.Deadline;
        _time = time;
        _logger = logger;
        _decisions = decisions;
        _requests = requests;
        _metrics = metrics;
        TickPeriod = TickPeriodFor(options.Targets);
    }

    /// <summary>How often the loop should call <see cref="RunOnceAsync"/>: the greatest common divisor of the targets' intervals.</summary>
    public TimeSpan TickPeriod { get; }

    public int TargetCount => _targets.Length;

    public long CompletedCycles => Interlocked.Read(ref _completedCycles);

    /// <summary>True once a whole cycle has completed, so every target has been evaluated (or has failed) once.</summary>
    public bool IsReady => CompletedCycles > 0;

    public IReadOnlyList<TargetStatus> Statuses => [.. _targets.Select(t => t.Status)];

    public TargetStatus? StatusOf(string target) =>
        Array.Find(_targets, t => string.Equals(t.Options.Name, target, StringComparison.Ordinal))?.Status;

    /// <summary>The policy that decides for <paramref name="target"/>, compiled; null for a name not watched.</summary>
    public CompiledPolicy? PolicyOf(string target) =>
        Array.Find(_targets, t => string.Equals(t.Options.Name, target, StringComparison.Ordinal))?.Policy;

    /// <summary>Completes when a signal may have asked for an evaluation; never, when none can ask.</summary>
    public Task WaitForRequestAsync(CancellationToken cancellationToken) =>
        _requests?.WaitAsync(cancellationToken) ?? Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken);

    /// <summary>
    /// Evaluates the targets that are due now and those requested since the last cycle. Never throws for a
    /// target's failure, only when cancelled.
    /// </summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // One time for the whole cycle: targets sharing an interval are judged at the same instant, and
        // `for` windows see evaluations exactly one interval apart, as the policy tests assume.
        var now = _time.GetUtcNow();

        // Taken before the reads start: a request arriving during this cycle's evaluation is for news this cycle may
        // have missed, so it stays for the next cycle, which then evaluates once more.
        var requested = _requests?.Take();
        var due = Array.FindAll(_targets, t => t.IsDue(now, EarlyTolerance) || requested?.Contains(t.Options.Name) == true);
        foreach (var target in due)
        {
            // Only a due target moves its schedule: an evaluation on request comes on top of the regular ones.
            if (target.IsDue(now, EarlyTolerance))
            {
                target.ScheduleAfter(now, EarlyTolerance);
            }
        }

        // A span only for a cycle with work: an idle tick every 100 ms would be a trace of nothing.
        using var cycle = due.Length == 0 ? null : WatchdogActivities.Source.StartActivity(WatchdogActivities.WatchCycle);
        cycle?.SetTag("watchdog.targets", due.Length);
        var reads = StartReads(due, cancellationToken);

        // Side by side, and each target waits only for the sources it reads: a slow source delays its own
        // targets (at most until the deadline), never the others.
        await Task.WhenAll(due.Select(target => EvaluateAsync(target, reads, now, cancellationToken)));
        if (Interlocked.Increment(ref _completedCycles) == 1)
        {
            WatchLog.Ready(_logger);
        }
    }

    // Every due (target, signal) goes to the first source that provides it, in one batch per source, so a
    // source can answer many targets with one query; the batches run at once, bounded by the deadline.
    private Task<IReadOnlyList<SignalValue>>?[] StartReads(TargetWatch[] due, CancellationToken cancellationToken)
    {
        var batches = new List<SignalRequest>?[_sources.Length];
        foreach (var target in due)
        {
            target.Slots.Clear();
            target.PlanningError = null;
            try
            {
                var signals = target.Policy.Signals;
                var slots = new List<(int, int, SignalRequest)>();
                for (var i = 0; i < signals.Count; i++)
                {
                    var source = Array.FindIndex(_sources, s => s.Provides(target.Options, signals[i]));
                    if (source < 0)
                    {
                        // No source measures this signal for this target: its conditions are not applicable (count as
                        // false), so a policy shared by targets that watch less never leaves this one inconclusive.
                        target.Frame[i] = SignalValue.NotWatched;
                        continue;
                    }

                    slots.Add((i, source, new SignalRequest(target.Options, signals[i])));
                }

                foreach (var (frame, source, request) in slots)
                {
                    var batch = batches[source] ??= [];
                    target.Slots.Add((frame, source, batch.Count));
                    batch.Add(request);
                }
            }
            catch (Exception ex)
            {
                // By design: a source plug-in that throws while choosing signals fails this target only; the
                // failure is reported with the target's evaluation below.
                target.PlanningError = ExceptionDispatchInfo.Capture(ex);
            }
        }

        var deadline = due.Length == 0 ? _deadline : TimeSpan.FromTicks(Math.Min(_deadline.Ticks, due.Min(t => t.Options.Interval.Ticks)));
        return [.. batches.Select((batch, i) => batch is null ? null : CountedAsync(_sources[i].Name, ReadBatchAsync(_sources[i], batch, deadline, cancellationToken)))];
    }

    private async Task<IReadOnlyList<SignalValue>> ReadBatchAsync(ISignalSource source, List<SignalRequest> batch, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var span = WatchdogActivities.Source.StartActivity(WatchdogActivities.SourceRead);
        span?.SetTag("watchdog.source", source.Name);
        span?.SetTag("watchdog.signals", batch.Count);
        var values = await ReadOrErrorsAsync(source, batch, deadline, cancellationToken);
        if (span is not null && values.FirstOrDefault(v => v.State == SignalState.Error) is { ErrorMessage: { } error })
        {
            span.SetStatus(ActivityStatusCode.Error, error);
        }

        return values;
    }

    private async Task<IReadOnlyList<SignalValue>> ReadOrErrorsAsync(ISignalSource source, List<SignalRequest> batch, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(deadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            // WaitAsync as well as the token: a source that ignores cancellation still cannot hold the cycle.
            var values = await source.ReadAsync(batch, linked.Token).WaitAsync(deadline, _time, cancellationToken);
            return values.Count == batch.Count
                ? values
                : Errors(batch.Count, $"source {source.Name} answered {values.Count} values for {batch.Count} signals");
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Errors(batch.Count, $"source {source.Name} did not answer within {DurationText.Format(deadline)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Sources report outages as error values; one that throws anyway is treated the same way, so the
            // conditions on its signals become unknown instead of its targets going without a decision.
            WatchLog.SignalReadFailed(_logger, source.Name, batch.Count, ex);
            return Errors(batch.Count, $"source {source.Name} failed: {ex.Message}");
        }
    }

    // A source is up when any value of its batch is no error: one signal's bad query is that signal's error, not an outage.
    private async Task<IReadOnlyList<SignalValue>> CountedAsync(string source, Task<IReadOnlyList<SignalValue>> read)
    {
        var values = await read;
        _metrics?.SourceAnswered(source, values.Any(v => v.State != SignalState.Error));
        return values;
    }

    private static SignalValue[] Errors(int count, string message) => Enumerable.Repeat(SignalValue.Error(message), count).ToArray();

    private async Task EvaluateAsync(TargetWatch target, Task<IReadOnlyList<SignalValue>>?[] reads, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var span = WatchdogActivities.Source.StartActivity(WatchdogActivities.WatchTarget);
        span?.SetTag("watchdog.target", target.Options.Name);
        span?.SetTag("watchdog.policy", target.Policy.Name);
        try
        {
            target.PlanningError?.Throw();
            foreach (var (frame, source, request) in target.Slots)
            {
                target.Frame[frame] = (await reads[source]!)[request];
                _metrics?.SignalRead(target.Options.Name, target.Policy.Signals[frame], _sources[source].Name, target.Frame[frame]);
            }

            if (_decisions is not null && await _decisions.LastActionAtAsync(target.Options.Name, cancellationToken) is { } lastAction)
            {
                target.State.RecordAction(lastAction);
            }

            var decision = Decide(target, now);
            _metrics?.Evaluated(target.Options.Name, decision);
            var previous = target.Status;
            var changed = previous.LastDecision is not { } last || !last.SaysTheSameAs(decision);

            // Explaining allocates, so it is done only when what it explains moved: the decision, or a value or cause
            // behind it (an error replaced by another leaves the decision as it was, and the old cause would stay shown).
            SignalReading[] signals = [.. target.Policy.Signals.Select((name, i) => SignalReading.Of(name, target.Frame[i]))];
            var explanation = changed || !signals.SequenceEqual(previous.Signals)
                ? target.Policy.Explain(target.State).Summary
                : previous.Explanation;
            target.Status = previous with
            {
                LastDecision = decision,
                Explanation = explanation,
                Signals = signals,
                LastEvaluatedAt = now,
                NextDueAt = target.NextDueAt,
                Evaluations = previous.Evaluations + 1,
            };
            if (changed)
            {
                LogDecision(target, decision, explanation!);
            }

            if (_decisions is not null)
            {
                await _decisions.HandleAsync(target.Options, target.Policy, target.State, decision, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // By design: a bug in one target's evaluation (the policy, the store) must not stop the loop or the
            // other targets. It is logged, counted in the target's status, and retried when next due.
            var previous = target.Status;
            target.Status = previous with
            {
                NextDueAt = target.NextDueAt,
                Failures = previous.Failures + 1,
                LastFailure = ex.Message,
                LastFailureAt = now,
            };
            WatchLog.TargetEvaluationFailed(_logger, target.Options.Name, ex);
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            _metrics?.EvaluationFailed(target.Options.Name);
        }
    }

    private static Decision Decide(TargetWatch target, DateTimeOffset now)
    {
        using var span = WatchdogActivities.Source.StartActivity(WatchdogActivities.Decide);
        var decision = target.Policy.Evaluate(target.Frame, now, target.State);
        if (span is not null)
        {
            span.SetTag("watchdog.decision.action", decision.Action.ToName());
            span.SetTag("watchdog.decision.authority", decision.Authority.ToName());
            span.SetTag("watchdog.decision.rule", decision.RuleId ?? "none");
            span.SetTag("watchdog.decision.inconclusive", decision.IsInconclusive);
        }

        return decision;
    }

    private void LogDecision(TargetWatch target, Decision decision, string explanation)
    {
        // The policy language's names (scale-then-rollback, on-call), not the enum members' names.
        WatchLog.DecisionChanged(_logger, target.Options.Name, target.Policy.Name, decision.Action.ToName(), decision.Authority.ToName(), decision.RuleId ?? "none", decision.IsInconclusive, explanation);
    }


    // The loader rejects unknown policies and non-positive intervals, so reaching these is a programming error.
    private static CompiledPolicy PolicyFor(TargetOptions target, IReadOnlyDictionary<string, CompiledPolicy> policies)
    {
        if (target.Interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Target '{target.Name}' has a non-positive interval {target.Interval}.", nameof(target));
        }

        return policies.TryGetValue(target.Policy, out var policy)
            ? policy
            : throw new ArgumentException($"Target '{target.Name}' names unknown policy '{target.Policy}'.", nameof(target));
    }

    // Ticking at the gcd of the intervals lands a tick on every target's slot; the floor keeps odd pairs of
    // intervals (1s and 1.001s) from asking for a tick every millisecond.
    private static TimeSpan TickPeriodFor(IReadOnlyList<TargetOptions> targets)
    {
        if (targets.Count == 0)
        {
            return IdleTick;
        }

        var gcd = targets.Select(t => (long)t.Interval.TotalMilliseconds).Aggregate(Gcd);
        var tick = TimeSpan.FromMilliseconds(gcd);
        return tick < MinimumTick ? MinimumTick : tick;
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
