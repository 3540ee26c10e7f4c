using Watchdog.Rules;

namespace Watchdog.Records;

internal static class NotificationStatuses
{
    public static string ToName(this NotificationStatus status) => KebabNames<NotificationStatus>.Of(status);

    public static NotificationStatus Parse(string name) => KebabNames<NotificationStatus>.Parse(name, "notification status");
}
