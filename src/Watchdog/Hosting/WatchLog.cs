using Microsoft.Extensions.Logging;
using Watchdog.Rules;

namespace Watchdog.Hosting;

internal static partial class WatchLog
{
    /// <summary><c>Watching 1 target, checking every 1s</c>: read by a person starting the daemon, so in words.</summary>
    public static void Watching(ILogger logger, int targetCount, TimeSpan tickPeriod) =>
        Watching(logger, targetCount, targetCount == 1 ? "target" : "targets", DurationText.Human(tickPeriod));

    /// <summary>
    /// <c>decision: none (inconclusive)</c>, <c>decision: rollback (automatic), rule error-rate-critical</c>: the
    /// authority and rule only when there is an action to authorise, the inconclusive flag only when it is set.
    /// The action stays a field of its own, for log queries.
    /// </summary>
    public static void DecisionChanged(
        ILogger logger, string target, string policy, string action, string authority, string rule, bool inconclusive, string explanation) =>
        Decided(logger, target, policy, action, DecisionDetail(action, authority, rule, inconclusive), explanation);

    private static string DecisionDetail(string action, string authority, string rule, bool inconclusive) =>
        action == DecisionAction.None.ToName()
            ? inconclusive ? " (inconclusive)" : ""
            : $" ({authority}), rule {rule}{(inconclusive ? ", inconclusive" : "")}";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Watching {TargetCount} {Targets}, checking every {TickPeriod}")]
    private static partial void Watching(ILogger logger, int targetCount, string targets, string tickPeriod);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Target {Target} (policy {Policy}) decision: {Action}{Detail}: {Explanation}")]
    private static partial void Decided(ILogger logger, string target, string policy, string action, string detail, string explanation);

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
