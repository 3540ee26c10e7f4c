namespace Watchdog.Configuration;

public enum NotificationKind
{
    Slack,
    Webhook,
}
