using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Records;

namespace Watchdog.Leadership;

/// <summary>
/// client-go's elector loop over an <see cref="ILeaderLock"/>, on the injected clock: followers try every retry period
/// (with jitter, so replicas do not move in step); a leader renews every retry period and stops leading as soon as it
/// has not renewed for the renew deadline, or at once when the lock says another holds it. A term begins only after
/// the store's epoch is the lock's, so the store fences the old leader before the new one acts. On shutdown the leader
/// lets its work stop (the host gives each loop the grace period), then releases the lock so a follower need not
/// wait out the lease.
/// </summary>
internal sealed partial class LeaderElector(
    LeaderState leadership,
    ILeaderLock leaderLock,
    ILeaderEpochStore epochs,
    HaOptions options,
    LeaderElectionMetrics metrics,
    TimeProvider time,
    ILogger<LeaderElector> logger) : BackgroundService
{
    private string? _lastError;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Started(logger, leadership.Identity, leaderLock.Describe(), options.LeaseDuration.TotalSeconds, options.RenewDeadline.TotalSeconds, options.RetryPeriod.TotalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            await TickAsync(stoppingToken);
            var wait = leadership.Term is null
                ? options.RetryPeriod + (options.RetryPeriod * (Random.Shared.NextDouble() * 0.2))
                : options.RetryPeriod;
            await Task.Delay(wait, time, stoppingToken);
        }
    }

    /// <summary>One try or renewal, and what follows from it; tests call it directly.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var attempt = await leaderLock.TryAcquireOrRenewAsync(cancellationToken);
        var now = time.GetUtcNow();
        var term = leadership.Term;
        if (attempt.Held && term is null)
        {
            await BeginAsync(attempt, now, cancellationToken);
        }
        else if (attempt.Held && term is not null)
        {
            term.Renewed(now);
        }
        else
        {
            Failed(attempt);
            var otherHolds = attempt.Holder.Length > 0 && attempt.Holder != leadership.Identity;
            if (term is not null && (otherHolds || !term.IsCurrent))
            {
                StepDown(term, otherHolds
                    ? $"{attempt.Holder} holds {leaderLock.Describe()}"
                    : $"not renewed for {(now - term.RenewedAt).TotalSeconds:0.#} s (renew deadline {options.RenewDeadline.TotalSeconds:0.#} s)");
            }

            if (leadership.Term is null)
            {
                leadership.Saw(attempt.Holder, attempt.Epoch, attempt.HolderSince);
            }
        }
    }

    private async Task BeginAsync(LeaderLockAttempt attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The Lease's epoch is its transitions; the store must say so before anything acts, or the old leader's late
        // writes would still pass. The PostgreSQL lock moved the store's epoch itself when it was won.
        var epoch = attempt.Epoch;
        if (options.Lock == LeaderLockKind.Kubernetes)
        {
            if (await epochs.AdvanceLeaderEpochAsync(options.LeaseName, epoch, leadership.Identity, now, cancellationToken) is null)
            {
                var stored = await epochs.GetLeaderEpochAsync(options.LeaseName, cancellationToken);
                Failed(LeaderLockAttempt.Failed($"won {leaderLock.Describe()} at epoch {epoch}, but the store is at epoch {stored?.Epoch} (held by {stored?.Holder}); not leading"));
                return;
            }
        }

        var previous = leadership.Leader is { } before && before.Holder != leadership.Identity ? before.Holder : null;
        leadership.Begin(new LeaderTerm(options.LeaseName, epoch, now, options.RenewDeadline, time, fenced: true, previous, metrics.Fenced));
        metrics.Transitioned();
        _lastError = null;
        Elected(logger, leadership.Identity, epoch, previous ?? "nobody");
    }

    private void StepDown(LeaderTerm term, string why)
    {
        leadership.End();
        SteppedDown(logger, leadership.Identity, term.Epoch, why);
    }

    private void Failed(LeaderLockAttempt attempt)
    {
        // Said when it changes, not every retry period.
        if (attempt.Error is { } error && error != _lastError)
        {
            LockFailed(logger, error);
        }

        _lastError = attempt.Error;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The loops registered after this one are stopped before it (the host stops in reverse order), so by now the
        // leader's work has stopped or had its grace period: give the lock up so a follower takes over at once.
        await base.StopAsync(cancellationToken);
        if (leadership.End() is { } term)
        {
            await leaderLock.ReleaseAsync(cancellationToken);
            Released(logger, leadership.Identity, term.Epoch, leaderLock.Describe());
        }

        await leaderLock.DisposeAsync();
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "High availability: {Identity} competes for {Lock} (lease {Lease} s, renew deadline {Deadline} s, retry every {Retry} s)")]
    private static partial void Started(ILogger logger, string identity, string @lock, double lease, double deadline, double retry);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "{Identity} leads at epoch {Epoch}, taking over from {Previous}")]
    private static partial void Elected(ILogger logger, string identity, long epoch, string previous);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "{Identity} stopped leading at epoch {Epoch}: {Why}; its work is stopped and its late writes are refused")]
    private static partial void SteppedDown(ILogger logger, string identity, long epoch, string why);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Leader lock: {Error}")]
    private static partial void LockFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "{Identity} released {Lock} at epoch {Epoch} on shutdown")]
    private static partial void Released(ILogger logger, string identity, long epoch, string @lock);
}
