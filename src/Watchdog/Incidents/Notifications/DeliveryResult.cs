namespace Watchdog.Incidents.Notifications;

/// <summary>What sending a notification came to, after the HTTP client's retries.</summary>
/// <param name="StatusCode">The receiver's HTTP status; null when no answer came (connection refused, DNS, reset).</param>
/// <param name="Transient">Worth retrying: a connection error, 408, 429 or 5xx. Other refusals would only be refused again.</param>
internal sealed record DeliveryResult(bool Delivered, int? StatusCode, string? Error, bool Transient)
{
    /// <summary>Requests made, the first included: what the outbox row counts towards its rounds.</summary>
    public int Attempts { get; init; } = 1;

    public static DeliveryResult Success(int statusCode) => new(true, statusCode, null, false);

    public static DeliveryResult Failure(string error, int? statusCode, bool transient) => new(false, statusCode, error, transient);
}
