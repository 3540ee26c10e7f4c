using Watchdog.Actions;
using Watchdog.Records;

namespace Watchdog.Incidents.Reports;

/// <summary>One action run of an incident with its steps, in plan order.</summary>
internal sealed record IncidentRunReport(ActionRun Run, IReadOnlyList<ActionStep> Steps);
