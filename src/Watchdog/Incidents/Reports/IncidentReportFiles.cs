namespace Watchdog.Incidents.Reports;

/// <summary>Where a report was written: <c>incident-&lt;id&gt;.md</c> and <c>incident-&lt;id&gt;.json</c>.</summary>
internal sealed record IncidentReportFiles(string MarkdownPath, string JsonPath);
