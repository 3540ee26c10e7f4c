namespace Watchdog.Incidents.Reports.Json;

/// <param name="Share">Of all incidents in the window, 0 to 1.</param>
internal sealed record CauseShareDocument(string Rule, int Incidents, double Share);
