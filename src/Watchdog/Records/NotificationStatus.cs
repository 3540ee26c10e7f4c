namespace Watchdog.Records;

internal enum NotificationStatus
{
    Pending,
    Sent,

    /// <summary>Gave up after the retries; recorded on the incident.</summary>
    Failed,

    /// <summary>A round of retries failed for a reason that may pass (receiver down, 5xx, timeout): sent again at the next redelivery.</summary>
    Deferred,
}
