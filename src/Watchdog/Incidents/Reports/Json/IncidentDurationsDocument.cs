namespace Watchdog.Incidents.Reports.Json;

/// <summary>Null where the incident has not got that far.</summary>
internal sealed record IncidentDurationsDocument(DurationDocument? DetectionToAction, DurationDocument? ActionToRecovery, DurationDocument? Total);
