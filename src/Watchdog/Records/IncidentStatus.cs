namespace Watchdog.Records;

internal enum IncidentStatus
{
    Open,
    Closed,
}
