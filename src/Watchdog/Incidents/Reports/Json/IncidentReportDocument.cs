
namespace Watchdog.Incidents.Reports.Json;

/// <summary>The JSON form of an <see cref="IncidentReport"/>.</summary>
internal sealed record IncidentReportDocument(
    IncidentDocument Incident,
    IReadOnlyList<TimelineEventDocument> Timeline,
    IReadOnlyList<RunDocument> Runs,
    IReadOnlyList<ApprovalDocument> Approvals,
    IReadOnlyList<DecisionDocument> Decisions);
