using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Watchdog.Rules;
using Watchdog.Store;

namespace Watchdog.Actions;

/// <summary>
/// The executor's writes that must not be lost (a step started or finished, a run's outcome, a step's progress),
/// tried again with backoff while the store does not answer: a PostgreSQL restart must not leave a run "running"
/// with nothing said. Each failed try is logged with its wait. Past <c>store.write_retry_for</c> the last error is
/// thrown, and the run worker recovers the run once the store answers (resumed or reported interrupted).
/// A write is a whole transaction, made again for each try, so a try that failed left nothing behind.
/// </summary>
internal sealed class JournalWrites
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public JournalWrites(TimeSpan retryFor, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(new TimeoutStrategyOptions { Timeout = retryFor })
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(StoreOutage.Is),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    var (what, runId) = args.Context.Properties.GetValue(WriteKey, ("a write", 0L));
                    ExecutorLog.JournalWriteFailed(_logger, what, runId, args.AttemptNumber + 1, DurationText.Human(args.RetryDelay), args.Outcome.Exception!.Message);
                    return default;
                },
            })
            .Build();
    }

    private static ResiliencePropertyKey<(string What, long RunId)> WriteKey { get; } = new("watchdog.journal-write");

    /// <summary>Runs <paramref name="write"/> (a whole transaction) until it succeeds or the retry window ends.</summary>
    /// <param name="what">Named in the log, e.g. "step 0 finished".</param>
    public async Task WriteAsync(string what, long runId, Func<CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(WriteKey, (what, runId));
        try
        {
            await _pipeline.ExecuteAsync(static async (ctx, write) => await write(ctx.CancellationToken), context, write);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new JournalWriteException($"the store did not take '{what}' for run {runId} within {ex.Timeout}", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
