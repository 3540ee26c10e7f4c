using System.Globalization;

namespace Watchdog.Configuration;

/// <summary>How hard the dispatcher tries. The defaults ride out a receiver restart without delaying later messages for long.</summary>
internal sealed record NotificationDispatchOptions
{
    /// <summary>Tries per notification, the first included (default 4).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The wait before the second try; each later wait doubles it (default 1 s: 1 s, 2 s, 4 s).</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one try may take before it counts as failed and is retried (default 10 s).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is read for pending notifications (default 1 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many pending notifications are taken per run (default 100).</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>
    /// A notification whose round of retries failed for a reason that may pass is sent again this often (default 5 min),
    /// so a Slack outage during an incident delays its messages instead of losing them.
    /// </summary>
    public TimeSpan RedeliveryInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Rounds of <see cref="MaxAttempts"/> tries before a notification is given up as failed (default 12: an hour at the default interval).</summary>
    public int MaxRounds { get; init; } = 12;

    /// <summary>Every problem at once, empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxAttempts < 1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"max_attempts: {MaxAttempts}, must be at least 1"));
        }

        if (FirstRetryDelay < TimeSpan.Zero || FirstRetryDelay > TimeSpan.FromHours(1))
        {
            errors.Add($"first_retry_delay: {FirstRetryDelay}, must be between 0 and 1 hour");
        }

        // Polly's timeout strategy accepts 10 ms to a day.
        if (AttemptTimeout < TimeSpan.FromMilliseconds(10) || AttemptTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"attempt_timeout: {AttemptTimeout}, must be between 10 ms and 1 hour");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"poll_interval: {PollInterval}, must be positive");
        }

        if (RedeliveryInterval <= TimeSpan.Zero)
        {
            errors.Add($"redelivery_interval: {RedeliveryInterval}, must be positive");
        }

        if (MaxRounds < 1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"max_rounds: {MaxRounds}, must be at least 1"));
        }

        if (BatchSize < 1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"batch_size: {BatchSize}, must be at least 1"));
        }

        return errors;
    }
}
