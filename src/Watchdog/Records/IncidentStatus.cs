namespace Watchdog.Records;

public enum IncidentStatus
{
    Open,
    Closed,
}
