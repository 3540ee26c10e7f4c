namespace Watchdog.Incidents.Notifications;

/// <summary>What one dispatcher run did. A notification whose outcome could not be recorded counts in neither; it stays pending.</summary>
internal sealed record NotificationDispatchSummary(int Sent, int Failed)
{
    public static NotificationDispatchSummary None { get; } = new(0, 0);
}
