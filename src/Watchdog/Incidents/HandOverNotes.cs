using Watchdog.Leadership;
using Watchdog.Records;

namespace Watchdog.Incidents;

/// <summary>
/// At the start of a term won from another replica, says so on every open incident's timeline ("watchdog-1 took over
/// from watchdog-0 at epoch 4"), so that whoever reads the incident knows why its runs were resumed or reported
/// interrupted by another replica. Written under the new term's fence, like everything the leader records.
/// </summary>
internal sealed class HandOverNotes(IWatchdogStore store, TimeProvider time, LeaderState? leadership = null)
    : LeaderBackgroundService(leadership ?? LeaderState.Solo(time))
{
    protected override async Task ExecuteTermAsync(CancellationToken stoppingToken)
    {
        if (Leadership.Term is not { TookOverFrom: { } previous } term)
        {
            return;
        }

        var open = await store.ListIncidentsAsync(new IncidentQuery(IncidentStatus.Open, Limit: 1000), stoppingToken);
        if (open.Count == 0)
        {
            return;
        }

        await using var transaction = await store.BeginAsync(stoppingToken);
        foreach (var incident in open)
        {
            await transaction.AppendEventAsync(
                new IncidentEvent(incident.Id, time.GetUtcNow(), IncidentEventKind.TookOver, $"{Leadership.Identity} took over from {previous} at epoch {term.Epoch}"),
                stoppingToken);
        }

        await transaction.CommitAsync(stoppingToken);
    }
}
