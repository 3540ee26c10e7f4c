using Microsoft.Extensions.Logging;

namespace Watchdog.Configuration;

internal sealed record LoggingOptions
{
    /// <summary><c>text</c> (default) or <c>json</c> (one JSON object per line, for log shippers).</summary>
    public string Format { get; init; } = "text";

    /// <summary>The minimum level written (default <see cref="LogLevel.Information"/>).</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;
}
