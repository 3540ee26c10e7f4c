namespace Watchdog.Incidents.Stats;

/// <param name="Rule">The rule that opened the incidents.</param>
/// <param name="Share">Of all incidents in the window, 0 to 1.</param>
internal sealed record CauseShare(string Rule, int Incidents, double Share);
