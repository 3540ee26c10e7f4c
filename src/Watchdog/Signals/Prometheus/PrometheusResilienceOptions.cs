namespace Watchdog.Signals.Prometheus;

/// <summary>How hard Watchdog tries a failing Prometheus, and when it stops asking for a while.</summary>
internal sealed record PrometheusResilienceOptions
{
    /// <summary>Retries after a connection error, a timeout, 429 or 5xx (never after 400 or 422); default 2.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>The first retry's delay, doubled for each further retry (200 ms, then 400 ms by default).</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The circuit opens when at least this many attempts within <see cref="SamplingDuration"/> all failed
    /// (default 5); while open, reads fail at once instead of waiting on a dead server.
    /// </summary>
    public int FailuresToOpen { get; init; } = 5;

    /// <summary>How far back the breaker looks when counting failures (default 30 s).</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before one query probes Prometheus again (default 30 s).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Queries of one batch in flight at once (default 8).</summary>
    public int MaxConcurrentQueries { get; init; } = 8;
}
