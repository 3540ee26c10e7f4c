using System.Text.Json;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Incidents.Reports.Json;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents.Stats;

internal static class RollbackStatisticsJson
{
    public static RollbackStatisticsDocument ToDocument(RollbackStatistics statistics, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return new RollbackStatisticsDocument(
            DurationText.Format(window),
            statistics.From,
            statistics.To,
            statistics.Incidents,
            statistics.OpenIncidents,
            DurationDocument.From(statistics.AverageRollbackTime),
            statistics.MeasuredRollbacks,
            statistics.SuccessRate,
            statistics.MostCommonCause is { } cause ? new CauseShareDocument(cause.Rule, cause.Incidents, cause.Share) : null,
            statistics.AutomatedShare,
            statistics.Runs,
            new SortedDictionary<string, int>(statistics.RunsByStatus.ToDictionary(p => p.Key.ToName(), p => p.Value), StringComparer.Ordinal),
            statistics.DryRuns,
            statistics.Refused);
    }

    public static string Serialize(RollbackStatistics statistics, TimeSpan window) =>
        JsonSerializer.Serialize(ToDocument(statistics, window), ReportsJsonContext.Default.RollbackStatisticsDocument);
}
