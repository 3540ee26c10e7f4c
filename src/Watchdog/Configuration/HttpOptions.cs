namespace Watchdog.Configuration;

internal sealed record HttpOptions
{
    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public string Listen { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Bearer tokens accepted by the approval API, each with the authority it carries.</summary>
    public IReadOnlyList<ApiTokenOptions> Tokens { get; init; } = [];

    /// <summary>
    /// When true, reading incidents, stats, targets and alerts needs one of <see cref="Tokens"/> too (any role); without
    /// one those GETs answer 401. The approvals always need one. Off by default: on 127.0.0.1 only this machine reads.
    /// </summary>
    public bool ReadRequiresToken { get; init; }
}
