namespace Watchdog.Incidents;

public enum NotificationStatus
{
    Pending,
    Sent,

    /// <summary>Gave up after the retries; recorded on the incident.</summary>
    Failed,
}
