namespace Watchdog.Configuration;

/// <summary>Retries on 429, 5xx, timeouts and connection errors; never on other 4xx.</summary>
internal sealed record KubernetesRetryOptions
{
    public int MaxRetries { get; init; } = 3;

    /// <summary>First backoff; exponential with jitter after that.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
