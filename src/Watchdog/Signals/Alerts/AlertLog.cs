using Microsoft.Extensions.Logging;

namespace Watchdog.Signals.Alerts;

// Never pass an Authorization header, a token or a password to these.
internal static partial class AlertLog
{
    [LoggerMessage(EventId = 570, Level = LogLevel.Debug,
        Message = "Alertmanager notification: {Received} alerts, {Stored} stored, {Duplicates} duplicates, {Unmatched} matching no target")]
    public static partial void Received(ILogger logger, int received, int stored, int duplicates, int unmatched);

    [LoggerMessage(EventId = 571, Level = LogLevel.Information, Message = "Alert {AlertName} {Status} for {Targets} (fingerprint {Fingerprint})")]
    public static partial void AlertChanged(ILogger logger, string alertName, string status, string targets, string fingerprint);

    [LoggerMessage(EventId = 572, Level = LogLevel.Warning, Message = "Refused an Alertmanager notification with {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 573, Level = LogLevel.Error,
        Message = "Storing {Count} alerts failed; answered 503 so that Alertmanager retries")]
    public static partial void StoreFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 574, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: missing or wrong credentials")]
    public static partial void Unauthenticated(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 575, Level = LogLevel.Information, Message = "Alert state loaded from the store: {Read} alerts read, {Kept} matching a target")]
    public static partial void BookLoaded(ILogger logger, int read, int kept);

    [LoggerMessage(EventId = 576, Level = LogLevel.Warning, Message = "Stored alert {AlertId} has a payload that is not JSON ({Reason}); it is left out of the alert signals")]
    public static partial void StoredPayloadUnreadable(ILogger logger, long alertId, string reason);

    [LoggerMessage(EventId = 577, Level = LogLevel.Information,
        Message = "Alert retention removed {Removed} stored alerts and {Evicted} from memory; {Held} alerts held in memory")]
    public static partial void RetentionPassed(ILogger logger, int removed, int evicted, int held);

    [LoggerMessage(EventId = 578, Level = LogLevel.Warning, Message = "Removing old alerts from the store failed; the next retention pass tries again")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);
}
