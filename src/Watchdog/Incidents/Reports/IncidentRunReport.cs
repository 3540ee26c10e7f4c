using Watchdog.Actions;
using Watchdog.Records;

namespace Watchdog.Incidents.Reports;

/// <summary>One action run of an incident with its steps, in plan order.</summary>
/// <param name="TraceId">The trace the run was carried out in (W3C, 32 hex digits), from its timeline; null when it was not traced.</param>
internal sealed record IncidentRunReport(ActionRun Run, IReadOnlyList<ActionStep> Steps, string? TraceId = null);
