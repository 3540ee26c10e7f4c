namespace Watchdog.Incidents;

public enum IncidentStatus
{
    Open,
    Closed,
}
