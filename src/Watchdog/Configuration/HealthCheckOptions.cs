namespace Watchdog.Configuration;

/// <summary>One HTTP health endpoint of a target; failed probes feed the <c>health</c> signals.</summary>
internal sealed record HealthCheckOptions
{
    /// <summary>
    /// The signal source kind computed from these endpoints (<c>signals.X.source: health</c>); the health source
    /// declares it as its name, and the cross checks warn when a target read through it has no endpoints.
    /// </summary>
    public const string SignalSource = "health";

    public Uri Url { get; init; } = new("http://127.0.0.1/");

    public string Method { get; init; } = "GET";

    public StatusCodeRange ExpectStatus { get; init; } = new(200, 299);

    /// <summary>When set, a response body without this text is a failed probe.</summary>
    public string? BodyContains { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The largest body read to look for <see cref="BodyContains"/> (default 64 KiB); a larger one leaves the probe
    /// unjudged (an error), never failed. Without <see cref="BodyContains"/> the body is not read at all.
    /// </summary>
    public long MaxBodyBytes { get; init; } = 64 * 1024;
}
