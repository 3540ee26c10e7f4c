namespace Watchdog.Incidents.Reports.Json;

/// <summary>
/// Breach → detected → action started → action done → recovered, and the total from the breach. Null where the
/// incident has not got that far. <see cref="ActionToRecovery"/> (action started → recovered) stays for readers of the API.
/// </summary>
internal sealed record IncidentDurationsDocument(
    DurationDocument? DetectionToAction,
    DurationDocument? ActionToRecovery,
    DurationDocument? Total,
    DurationDocument? BreachToDetection,
    DurationDocument? ActionDuration,
    DurationDocument? ActionDoneToRecovery);
