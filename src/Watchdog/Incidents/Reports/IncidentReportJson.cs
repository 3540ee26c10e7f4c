using System.Text.Json;
using Watchdog.Actions;
using Watchdog.Incidents.Reports.Json;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Incidents.Reports;

/// <summary>
/// The JSON form of reports: camelCase, enums by the names the policy language and the store use
/// (<c>rollback</c>, <c>on-call</c>, <c>succeeded</c>), durations as seconds and ISO-8601, stored JSON embedded as JSON.
/// </summary>
internal static class IncidentReportJson
{
    public static string Serialize(IncidentReport report) =>
        JsonSerializer.Serialize(ToDocument(report), ReportsJsonContext.Default.IncidentReportDocument);

    public static IncidentReportDocument? Deserialize(string json) =>
        JsonSerializer.Deserialize(json, ReportsJsonContext.Default.IncidentReportDocument);

    public static IncidentReportDocument ToDocument(IncidentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var detectedAt = report.Incident.DetectedAt;
        return new IncidentReportDocument(
            ToDocument(report.Incident),
            [.. report.Timeline.Select(e => new TimelineEventDocument(
                e.Id, e.At.ToUniversalTime(), ReportTimeText.Offset(e.At - detectedAt), (e.At - detectedAt).TotalSeconds, e.Kind, e.Summary, Embed(e.Detail)))],
            [.. report.Runs.Select(ToDocument)],
            [.. report.Approvals.Select(ToDocument)],
            [.. report.Decisions.Select(ToDocument)]);
    }

    public static IncidentDocument ToDocument(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return new IncidentDocument(
            incident.Id,
            incident.Target,
            incident.Policy,
            StatusName(incident.Status),
            incident.Environment,
            incident.DetectedAt.ToUniversalTime(),
            incident.ActionStartedAt?.ToUniversalTime(),
            incident.ActionCompletedAt?.ToUniversalTime(),
            incident.VerifiedHealthyAt?.ToUniversalTime(),
            incident.ClosedAt?.ToUniversalTime(),
            incident.CloseReason,
            incident.ClosedBy,
            incident.TriggerRule,
            incident.TriggerAction.ToName(),
            incident.TriggerAuthority.ToName(),
            incident.TriggerSummary,
            incident.BeforeState,
            incident.AfterState,
            incident.ApprovedBy,
            new IncidentDurationsDocument(
                DurationDocument.From(incident.DetectionToAction),
                DurationDocument.From(incident.ActionToRecovery),
                DurationDocument.From(incident.Total),
                DurationDocument.From(incident.BreachToDetection),
                DurationDocument.From(incident.ActionDuration),
                DurationDocument.From(incident.ActionDoneToRecovery)),
            incident.BreachStartedAt?.ToUniversalTime());
    }

    public static string StatusName(IncidentStatus status) => status switch
    {
        IncidentStatus.Open => "open",
        IncidentStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown incident status"),
    };

    private static RunDocument ToDocument(IncidentRunReport runReport)
    {
        var run = runReport.Run;
        return new RunDocument(
            run.Id,
            run.Action.ToName(),
            run.Authority.ToName(),
            run.Rule,
            run.Status.ToName(),
            run.DryRun,
            run.CreatedAt.ToUniversalTime(),
            run.StartedAt?.ToUniversalTime(),
            run.CompletedAt?.ToUniversalTime(),
            DurationDocument.From(run.CompletedAt - run.StartedAt),
            run.Reason,
            runReport.TraceId,
            [.. runReport.Steps.Select(ToDocument)]);
    }

    private static StepDocument ToDocument(ActionStep step) => new(
        step.Index,
        step.Action,
        // Redacted when stored; again here for runs journalled before that was so.
        new SortedDictionary<string, string>(Redaction.Parameters(step.Parameters).ToDictionary(), StringComparer.Ordinal),
        step.Status.ToName(),
        step.StartedAt?.ToUniversalTime(),
        step.CompletedAt?.ToUniversalTime(),
        step.Attempts,
        Embed(step.Result),
        step.Error);

    private static ApprovalDocument ToDocument(Approval approval) => new(
        approval.Id,
        approval.RunId,
        approval.Action.ToName(),
        approval.Required.ToName(),
        approval.Status switch
        {
            ApprovalStatus.Pending => "pending",
            ApprovalStatus.Approved => "approved",
            ApprovalStatus.Rejected => "rejected",
            ApprovalStatus.AutoApproved => "auto-approved",
            _ => throw new ArgumentOutOfRangeException(nameof(approval), approval.Status, "unknown approval status"),
        },
        approval.RequestedAt.ToUniversalTime(),
        approval.DecidedAt?.ToUniversalTime(),
        approval.DecidedBy,
        approval.Comment,
        approval.EscalationLevel,
        approval.LastEscalatedAt?.ToUniversalTime());

    private static DecisionDocument ToDocument(DecisionRecord decision) => new(
        decision.Id,
        decision.At.ToUniversalTime(),
        decision.Policy,
        decision.Action.ToName(),
        decision.Authority.ToName(),
        decision.Inconclusive,
        decision.Rule,
        decision.Summary,
        Embed(decision.ExplanationJson));

    private static JsonElement? Embed(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Text that should have been JSON but is not still belongs in the report: keep it as a string.
            return JsonSerializer.SerializeToElement(json, ReportsJsonContext.Default.String);
        }
    }
}
