namespace Watchdog.Configuration;

/// <summary>One HTTP health endpoint of a target; failed probes feed the <c>health</c> signals.</summary>
public sealed record HealthCheckOptions
{
    public Uri Url { get; init; } = new("http://127.0.0.1/");

    public string Method { get; init; } = "GET";

    public StatusCodeRange ExpectStatus { get; init; } = new(200, 299);

    /// <summary>When set, a response body without this text is a failed probe.</summary>
    public string? BodyContains { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}
