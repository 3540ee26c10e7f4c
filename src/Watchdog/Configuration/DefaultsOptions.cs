namespace Watchdog.Configuration;

/// <summary>Values a target takes when it does not set its own.</summary>
public sealed record DefaultsOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    public bool DryRun { get; init; }
}
