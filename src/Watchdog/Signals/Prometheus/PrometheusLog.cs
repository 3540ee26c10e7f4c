using Microsoft.Extensions.Logging;

namespace Watchdog.Signals.Prometheus;

// Never the credentials or header values: only the server's URL, redacted (Redaction.Url) by the caller.
internal static partial class PrometheusLog
{
    [LoggerMessage(EventId = 601, Level = LogLevel.Debug, Message = "Prometheus query failed, attempt {Attempt}: {Error}; retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, int attempt, string error, string delay);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning,
        Message = "Prometheus at {Url} keeps failing ({Error}); circuit open for {BreakDuration}, its signals read as errors meanwhile")]
    public static partial void CircuitOpened(ILogger logger, string url, string error, string breakDuration);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Prometheus at {Url} answers again; circuit closed")]
    public static partial void CircuitClosed(ILogger logger, string url);

    [LoggerMessage(EventId = 604, Level = LogLevel.Debug, Message = "Prometheus query for signal {Signal} failed: {Error}")]
    public static partial void QueryFailed(ILogger logger, string signal, string error);
}
