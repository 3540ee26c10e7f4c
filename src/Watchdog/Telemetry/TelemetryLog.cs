using Microsoft.Extensions.Logging;

namespace Watchdog.Telemetry;

internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Metrics: could not read the pending approvals and open incidents from the store; the gauges keep their last values")]
    public static partial void StoreSampleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Metrics: the store answers again; the pending approvals and open incidents gauges are current")]
    public static partial void StoreSampleRecovered(ILogger logger);
}
