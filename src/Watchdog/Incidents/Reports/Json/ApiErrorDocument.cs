namespace Watchdog.Incidents.Reports.Json;

/// <summary>The body of a 400 or 404 from the incident and statistics endpoints.</summary>
public sealed record ApiErrorDocument(string Error);
