namespace Watchdog.Configuration;

internal enum NotificationKind
{
    Slack,
    Webhook,
}
