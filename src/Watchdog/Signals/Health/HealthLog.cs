using Microsoft.Extensions.Logging;
using Watchdog.Secrets;

namespace Watchdog.Signals.Health;

internal static partial class HealthLog
{
    [LoggerMessage(EventId = 560, Level = LogLevel.Debug, Message = "Health probe of {Target} at {Endpoint} still fails: {Failure}")]
    public static partial void ProbeStillFailing(ILogger logger, string target, string endpoint, string failure);

    [LoggerMessage(EventId = 564, Level = LogLevel.Warning, Message = "Health probe of {Target} at {Endpoint} fails: {Failure}; said again when it passes")]
    public static partial void ProbeStartedFailing(ILogger logger, string target, string endpoint, string failure);

    [LoggerMessage(EventId = 565, Level = LogLevel.Information, Message = "Health probe of {Target} at {Endpoint} passes again")]
    public static partial void ProbeRecovered(ILogger logger, string target, string endpoint);

    [LoggerMessage(EventId = 561, Level = LogLevel.Debug, Message = "Health of {Target}: {Failed} of {Probed} endpoints failed")]
    public static partial void Probed(ILogger logger, string target, int failed, int probed);

    [LoggerMessage(EventId = 562, Level = LogLevel.Warning,
        Message = "Every health endpoint of all {Targets} targets probed failed in the same cycle; health is inconclusive until one answers (Watchdog's own network is the likely cause, not {Targets} failing releases)")]
    public static partial void AllTargetsFailing(ILogger logger, int targets);

    [LoggerMessage(EventId = 563, Level = LogLevel.Information, Message = "Health endpoints answer again; health signals count again")]
    public static partial void TargetsAnswerAgain(ILogger logger);

    /// <summary>An endpoint as logs and explanations show it: no user info, query values as <c>***</c>.</summary>
    public static string Describe(Uri url) => Redaction.Url(url);
}
