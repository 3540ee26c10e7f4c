using System.Text.Json;
using Watchdog.Records;


namespace Watchdog.Incidents.Reports;

/// <summary>Gathers an incident, its timeline, runs and steps, approvals and decisions from the store.</summary>
internal sealed class IncidentReportBuilder(IWatchdogStore store)
{
    // Decisions are stored when a verdict changes, not every cycle, so this is far above any real incident.
    private const int MaxDecisions = 10_000;

    /// <returns>Null when the store has no incident with this id.</returns>
    public async Task<IncidentReport?> BuildAsync(long incidentId, CancellationToken cancellationToken)
    {
        var incident = await store.GetIncidentAsync(incidentId, cancellationToken);
        if (incident is null)
        {
            return null;
        }

        var timeline = await store.GetTimelineAsync(incidentId, cancellationToken);
        var runs = new List<IncidentRunReport>();
        foreach (var run in await store.ListRunsAsync(new RunQuery(IncidentId: incidentId), cancellationToken))
        {
            runs.Add(new IncidentRunReport(run, await store.GetStepsAsync(run.Id, cancellationToken), TraceIdOf(run.Id, timeline)));
        }

        // The store lists approvals by status only; an incident has a handful, so filtering here is cheap enough.
        var approvals = (await store.ListApprovalsAsync(null, cancellationToken)).Where(a => a.IncidentId == incidentId).ToList();
        var decisions = await store.ListDecisionsAsync(null, incidentId, MaxDecisions, cancellationToken);
        return new IncidentReport(incident, timeline, runs, approvals, [.. decisions.Reverse()]);
    }

    // The executor writes {runId, traceId} on the run's "started" entry (ActionExecutor.TraceDetail); a run resumed
    // after a restart keeps the trace it started in.
    private static string? TraceIdOf(long runId, IReadOnlyList<IncidentEvent> timeline)
    {
        foreach (var entry in timeline)
        {
            if (entry is not { Kind: IncidentEventKind.StepProgress, Detail: { } detail } || !detail.Contains("\"traceId\"", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(detail);
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("runId", out var id) && id.TryGetInt64(out var value) && value == runId
                    && json.RootElement.TryGetProperty("traceId", out var traceId) && traceId.ValueKind == JsonValueKind.String)
                {
                    return traceId.GetString();
                }
            }
            catch (JsonException)
            {
                // A plug-in's progress detail that only looks like the executor's: not the entry sought.
            }
        }

        return null;
    }
}
