using Microsoft.Extensions.Logging;

namespace Watchdog.Hosting;

internal static partial class WatchLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Watching {TargetCount} targets, checking every {TickPeriod}")]
    public static partial void Watching(ILogger logger, int targetCount, TimeSpan tickPeriod);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Target {Target} (policy {Policy}) decision: {Action} by {Authority}, rule {Rule}, inconclusive {Inconclusive}: {Explanation}")]
    public static partial void DecisionChanged(
        ILogger logger, string target, string policy, string action, string authority, string rule, bool inconclusive, string explanation);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Evaluating target {Target} failed; it is retried when next due")]
    public static partial void TargetEvaluationFailed(ILogger logger, string target, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "Source {Source} threw reading {Count} signals; they count as source errors this cycle")]
    public static partial void SignalReadFailed(ILogger logger, string source, int count, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "First watch cycle completed; ready")]
    public static partial void Ready(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Writing the report of incident {IncidentId} failed; it stays available over the API")]
    public static partial void ReportWriteFailed(ILogger logger, long incidentId, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the store does not answer ({Error})")]
    public static partial void StoreUnavailableForRequest(ILogger logger, string method, string path, string error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Watchdog listens on {Listen}, beyond this machine, with no API tokens configured (http.tokens): anyone who reaches it reads incidents, targets and alerts; add http.tokens with http.read_requires_token: true, or listen on 127.0.0.1")]
    public static partial void ListensOpenWithoutTokens(ILogger logger, string listen);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Listening on {Listen} from {Source}, which overrides http.listen ({Configured})")]
    public static partial void ListenOverridden(ILogger logger, string listen, string source, string configured);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning,
        Message = "The Alertmanager intake (POST /api/v1/alerts) on {Listen}, beyond this machine, has no credentials (sources.alertmanager: bearer_token or basic_auth) and takes alerts from anyone who reaches it: they can fire alert:* signals and fill the store up to sources.alertmanager.max_alerts ({MaxAlerts}); set bearer_token_file (and Alertmanager's http_config), or listen on 127.0.0.1")]
    public static partial void IntakeOpenWithoutCredentials(ILogger logger, string listen, int maxAlerts);
}
