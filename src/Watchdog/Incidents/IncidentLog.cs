using Microsoft.Extensions.Logging;

namespace Watchdog.Incidents;

internal static partial class IncidentLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Target {Target}: incident {IncidentId} opened by {Rule}: {Summary}")]
    public static partial void Opened(ILogger logger, string target, long incidentId, string rule, string summary);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Target {Target}: incident {IncidentId} closed ({Reason})")]
    public static partial void Closed(ILogger logger, string target, long incidentId, string reason);
}
