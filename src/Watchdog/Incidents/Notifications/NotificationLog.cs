using Microsoft.Extensions.Logging;

namespace Watchdog.Incidents.Notifications;

// Channels appear by name only: a webhook URL can be a secret (Slack keeps its token in the path).
internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Notification {EventKey} ({Kind}) sent to channel {Channel} after {Attempts} attempt(s)")]
    public static partial void Sent(ILogger logger, string eventKey, string kind, string channel, int attempts);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning,
        Message = "Notification {EventKey} to channel {Channel}: attempt {Attempt} failed ({Error}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string eventKey, string channel, int attempt, string error, string delay);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning,
        Message = "Notification {EventKey} ({Kind}) to channel {Channel} failed after {Attempts} attempt(s): {Error}")]
    public static partial void Failed(ILogger logger, string eventKey, string kind, string channel, int attempts, string error);

    [LoggerMessage(EventId = 404, Level = LogLevel.Error,
        Message = "Recording the outcome of notification {EventKey} to channel {Channel} failed; it stays pending and may be sent again (receivers drop repeats by Idempotency-Key)")]
    public static partial void RecordFailed(ILogger logger, string eventKey, string channel, Exception exception);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "Reading pending notifications failed; the next run tries again")]
    public static partial void ListFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 406, Level = LogLevel.Error, Message = "Channel {Channel} threw sending notification {EventKey}; recorded as failed")]
    public static partial void ChannelThrew(ILogger logger, string channel, string eventKey, Exception exception);

    [LoggerMessage(EventId = 408, Level = LogLevel.Information, Message = "Sending {Count} deferred notifications again")]
    public static partial void Redelivering(ILogger logger, int count);
}
