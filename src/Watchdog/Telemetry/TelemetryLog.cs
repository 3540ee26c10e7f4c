using Microsoft.Extensions.Logging;

namespace Watchdog.Telemetry;

internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Metrics: could not read the pending approvals and open incidents from the store; the gauges keep their last values")]
    public static partial void StoreSampleFailed(ILogger logger, Exception exception);
}
