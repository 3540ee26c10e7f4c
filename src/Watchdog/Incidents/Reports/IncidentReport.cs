using Watchdog.Records;


namespace Watchdog.Incidents.Reports;

/// <summary>Everything the store knows about one incident, gathered for a report.</summary>
/// <param name="Timeline">Oldest first, in the order appended.</param>
/// <param name="Runs">Oldest first, each with its steps in plan order.</param>
/// <param name="Approvals">Oldest first.</param>
/// <param name="Decisions">Oldest first.</param>
internal sealed record IncidentReport(
    Incident Incident,
    IReadOnlyList<IncidentEvent> Timeline,
    IReadOnlyList<IncidentRunReport> Runs,
    IReadOnlyList<Approval> Approvals,
    IReadOnlyList<DecisionRecord> Decisions);
