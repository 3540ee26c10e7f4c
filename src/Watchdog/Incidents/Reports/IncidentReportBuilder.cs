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
            runs.Add(new IncidentRunReport(run, await store.GetStepsAsync(run.Id, cancellationToken)));
        }

        // The store lists approvals by status only; an incident has a handful, so filtering here is cheap enough.
        var approvals = (await store.ListApprovalsAsync(null, cancellationToken)).Where(a => a.IncidentId == incidentId).ToList();
        var decisions = await store.ListDecisionsAsync(null, incidentId, MaxDecisions, cancellationToken);
        return new IncidentReport(incident, timeline, runs, approvals, [.. decisions.Reverse()]);
    }
}
