using System.Text.Json;

namespace Watchdog.Incidents.Reports.Json;

/// <param name="Explanation">The stored explanation, embedded as JSON.</param>
internal sealed record DecisionDocument(
    long Id,
    DateTimeOffset At,
    string Policy,
    string Action,
    string Authority,
    bool Inconclusive,
    string? Rule,
    string Summary,
    JsonElement? Explanation);
