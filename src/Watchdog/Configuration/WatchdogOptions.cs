namespace Watchdog.Configuration;

/// <summary>The whole of <c>watchdog.yaml</c>, bound and validated.</summary>
public sealed record WatchdogOptions
{
    /// <summary>The configuration file this was read from; relative paths inside it resolve against its folder.</summary>
    public string ConfigPath { get; init; } = "";

    public HttpOptions Http { get; init; } = new();

    public LoggingOptions Logging { get; init; } = new();

    public IReadOnlyList<TargetOptions> Targets { get; init; } = [];
}

public sealed record HttpOptions
{
    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public string Listen { get; init; } = "http://127.0.0.1:8080";
}

public sealed record LoggingOptions
{
    /// <summary><c>text</c> (default) or <c>json</c> (one JSON object per line, for log shippers).</summary>
    public string Format { get; init; } = "text";
}

public sealed record TargetOptions
{
    public string Name { get; init; } = "";

    /// <summary>The name of the policy that decides for this target.</summary>
    public string Policy { get; init; } = "";

    /// <summary>How often the target is evaluated (default 15 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);
}
