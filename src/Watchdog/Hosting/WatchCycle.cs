using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;

namespace Watchdog.Hosting;

/// <summary>
/// One tick of the watch loop: evaluates every target whose interval is due, keeping one policy state per
/// target between ticks, and publishes a <see cref="TargetStatus"/> per target. Called by one caller at a
/// time (the loop, or a test); the statuses may be read from any thread.
/// </summary>
internal sealed class WatchCycle
{
    private static readonly TimeSpan MinimumTick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan IdleTick = TimeSpan.FromSeconds(1);

    // Timers may fire a few milliseconds ahead of the wall clock; a target due that close to now is due now,
    // rather than a whole tick late. At most half the smallest tick, so it never pulls in the next slot.
    private static readonly TimeSpan EarlyTolerance = TimeSpan.FromMilliseconds(50);

    private readonly TargetWatch[] _targets;
    private readonly ISignalReader[] _readers;
    private readonly TimeProvider _time;
    private readonly ILogger<WatchCycle> _logger;
    private readonly IDecisionHandler? _decisions;
    private long _completedCycles;

    public WatchCycle(
        WatchdogOptions options,
        IReadOnlyDictionary<string, CompiledPolicy> policies,
        IEnumerable<ISignalReader> readers,
        TimeProvider time,
        ILogger<WatchCycle> logger,
        IDecisionHandler? decisions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policies);
        _targets = [.. options.Targets.Select(target => new TargetWatch(target, PolicyFor(target, policies)))];
        _readers = [.. readers];
        _time = time;
        _logger = logger;
        _decisions = decisions;
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

    /// <summary>Evaluates the targets that are due now. Never throws for a target's failure, only when cancelled.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // One time for the whole cycle: targets sharing an interval are judged at the same instant, and
        // `for` windows see evaluations exactly one interval apart, as the policy tests assume.
        var now = _time.GetUtcNow();
        var due = Array.FindAll(_targets, t => t.IsDue(now, EarlyTolerance));
        foreach (var target in due)
        {
            target.ScheduleAfter(now, EarlyTolerance);
        }

        // Side by side, so a slow source delays only its own target's decision within the cycle.
        await Task.WhenAll(due.Select(target => EvaluateAsync(target, now, cancellationToken)));
        if (Interlocked.Increment(ref _completedCycles) == 1)
        {
            WatchLog.Ready(_logger);
        }
    }

    private async Task EvaluateAsync(TargetWatch target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var signals = target.Policy.Signals;
            for (var i = 0; i < signals.Count; i++)
            {
                target.Frame[i] = await ReadAsync(target.Options, signals[i], cancellationToken);
            }

            if (_decisions is not null && await _decisions.LastActionAtAsync(target.Options.Name, cancellationToken) is { } lastAction)
            {
                target.State.RecordAction(lastAction);
            }

            var decision = target.Policy.Evaluate(target.Frame, now, target.State);
            var previous = target.Status;
            target.Status = previous with
            {
                LastDecision = decision,
                LastEvaluatedAt = now,
                NextDueAt = target.NextDueAt,
                Evaluations = previous.Evaluations + 1,
            };
            if (previous.LastDecision is not { } last || Differs(last, decision))
            {
                LogDecision(target, decision);
            }

            if (_decisions is not null)
            {
                await _decisions.HandleAsync(target.Options, target.Policy, target.State, decision, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // By design: a bug in one target's evaluation (a reader plug-in, the policy) must not stop the loop
            // or the other targets. It is logged, counted in the target's status, and retried when next due.
            var previous = target.Status;
            target.Status = previous with
            {
                NextDueAt = target.NextDueAt,
                Failures = previous.Failures + 1,
                LastFailure = ex.Message,
                LastFailureAt = now,
            };
            WatchLog.TargetEvaluationFailed(_logger, target.Options.Name, ex);
        }
    }

    private async ValueTask<SignalValue> ReadAsync(TargetOptions target, string signal, CancellationToken cancellationToken)
    {
        var reader = Array.Find(_readers, r => r.CanRead(target, signal));
        if (reader is null)
        {
            // No source reads this signal (yet): no data, so any decision resting on it is inconclusive.
            return SignalValue.NoData;
        }

        try
        {
            return await reader.ReadAsync(target, signal, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Readers report outages as error values; one that throws anyway is treated the same way, so the
            // conditions on this signal become unknown instead of the whole target going without a decision.
            WatchLog.SignalReadFailed(_logger, reader.Name, signal, target.Name, ex);
            return SignalValue.Error($"{reader.Name}: {ex.Message}");
        }
    }

    private void LogDecision(TargetWatch target, Decision decision)
    {
        // The policy language's names (scale-then-rollback, on-call), not the enum members' names.
        var action = decision.Action.ToName();
        var authority = decision.Authority.ToName();
        // Explaining allocates, so it is done only when the decision changes, which is when someone reads it.
        var why = target.Policy.Explain(target.State).Summary;
        WatchLog.DecisionChanged(_logger, target.Options.Name, target.Policy.Name, action, authority, decision.RuleId ?? "none", decision.IsInconclusive, why);
    }

    // The time of a decision changes every tick; what it says is what operators want to hear about.
    private static bool Differs(Decision a, Decision b) =>
        a.Action != b.Action || a.Authority != b.Authority || a.IsInconclusive != b.IsInconclusive
        || !string.Equals(a.RuleId, b.RuleId, StringComparison.Ordinal) || a.SuppressedByCooldown != b.SuppressedByCooldown;

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
