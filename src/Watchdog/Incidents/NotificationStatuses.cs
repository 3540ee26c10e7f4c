namespace Watchdog.Incidents;

public static class NotificationStatuses
{
    private static readonly string[] Names = ["pending", "sent", "failed", "deferred"];

    public static string ToName(this NotificationStatus status) => Names[(int)status];

    public static NotificationStatus Parse(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index >= 0 ? (NotificationStatus)index : throw new FormatException($"unknown notification status '{name}'");
    }
}
