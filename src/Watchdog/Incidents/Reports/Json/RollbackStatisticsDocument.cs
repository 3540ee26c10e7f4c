namespace Watchdog.Incidents.Reports.Json;

/// <summary>The runbook's "Rollback Metrics" as JSON; rates and shares are 0 to 1, null when there is nothing to divide by.</summary>
/// <param name="Window">Prometheus-style, e.g. <c>30d</c>.</param>
/// <param name="RunsByStatus">Every run status by name, zeros included, so the shape never changes.</param>
internal sealed record RollbackStatisticsDocument(
    string Window,
    DateTimeOffset From,
    DateTimeOffset To,
    int Incidents,
    int OpenIncidents,
    DurationDocument? AverageRollbackTime,
    int MeasuredRollbacks,
    double? SuccessRate,
    CauseShareDocument? MostCommonCause,
    double? AutomatedShare,
    int Runs,
    IReadOnlyDictionary<string, int> RunsByStatus,
    int DryRuns,
    int Refused);
