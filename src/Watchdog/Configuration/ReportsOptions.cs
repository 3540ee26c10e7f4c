namespace Watchdog.Configuration;

/// <summary>Where incident reports are written as files, besides being served over HTTP.</summary>
internal sealed record ReportsOptions
{
    /// <summary>A folder (relative to the configuration file); null writes no files.</summary>
    public string? Directory { get; init; }
}
