using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.IntegrationTests.Store;

/// <summary>Records with every required field set. Times are whole milliseconds, as the stores keep them.</summary>
internal static class StoreSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    public static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    public static Incident Incident(string target = "checkout", int detectedAt = 0) => new()
    {
        Target = target,
        Policy = "error-rate",
        DetectedAt = At(detectedAt),
        TriggerRule = "row 1",
        TriggerAction = DecisionAction.Rollback,
        TriggerAuthority = Authority.Automatic,
        TriggerSummary = "error_rate 0.12 > 0.05",
    };

    public static DecisionRecord Decision(string target = "checkout", int at = 0, long? incidentId = null) =>
        new(target, "error-rate", At(at), DecisionAction.Rollback, Authority.OnCall, false, "row 2", "error_rate high", """{"rows":[2]}""", incidentId);

    public static ActionRun Run(long incidentId, string target = "checkout", int createdAt = 0) => new()
    {
        IncidentId = incidentId,
        Target = target,
        Action = DecisionAction.Rollback,
        Authority = Authority.Automatic,
        Rule = "row 1",
        CreatedAt = At(createdAt),
    };

    public static ActionStep Step(long runId, int index) =>
        new(runId, index, "webhook", new Dictionary<string, string> { ["url"] = "http://127.0.0.1:9/hook", ["index"] = $"{index}" });

    public static Approval Approval(long runId, long incidentId, int requestedAt = 0) => new()
    {
        RunId = runId,
        IncidentId = incidentId,
        Target = "checkout",
        Action = DecisionAction.Rollback,
        Required = Authority.TeamLead,
        RequestedAt = At(requestedAt),
    };

    public static OutboxNotification Notification(long? incidentId, string eventKey, string channel = "slack", int createdAt = 0) =>
        new(incidentId, eventKey, channel, "rollback-in-progress", """{"title":"ROLLBACK IN PROGRESS"}""", At(createdAt));

    public static ReceivedAlert Alert(string fingerprint, string status = "firing", int startsAt = 0, int receivedAt = 0) =>
        new(fingerprint, status, "HighErrorRate", At(startsAt), null, At(receivedAt), "checkout", """{"labels":{"alertname":"HighErrorRate"}}""")
        {
            LastSeenAt = At(receivedAt),
        };
}
