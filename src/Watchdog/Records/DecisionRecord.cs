using Watchdog.Rules;

namespace Watchdog.Records;

/// <summary>A decision as stored: what was decided for a target, and why (the explanation as JSON).</summary>
internal sealed record DecisionRecord(
    string Target,
    string Policy,
    DateTimeOffset At,
    DecisionAction Action,
    Authority Authority,
    bool Inconclusive,
    string? Rule,
    string Summary,
    string ExplanationJson,
    long? IncidentId)
{
    public long Id { get; init; }
}
