namespace Watchdog.Incidents.Reports.Json;

/// <summary>The body of a 400 or 404 from the incident and statistics endpoints.</summary>
internal sealed record ApiErrorDocument(string Error);
