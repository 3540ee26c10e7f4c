using System.Globalization;
using System.Text;
using Watchdog.Actions;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Incidents.Reports;

/// <summary>
/// Renders a report in the shape of the runbook's incident report template (Root Cause Analysis): the header
/// fields, the timeline as T+ offsets from detection, and the three action items; plus the durations and the
/// runs with their steps, which the template leaves to the reader to dig up. Output is deterministic.
/// </summary>
internal static class IncidentReportMarkdown
{
    public const string RootCausePlaceholder = "[TO BE DETERMINED]";

    private const string NotReached = "n/a";

    public static string Render(IncidentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var incident = report.Incident;
        var text = new StringBuilder();
        var environment = incident.Environment is { } env ? $" ({OneLine(env)})" : "";

        // Blank lines between the header fields: the template's consecutive lines would run into one paragraph once rendered.
        text.Append("# Rollback Incident Report\n\n");
        text.Append(CultureInfo.InvariantCulture, $"**Incident:** #{incident.Id} — {incident.Target}{environment}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"**Date:** {ReportTimeText.Timestamp(incident.DetectedAt)}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"**Duration:** {HeaderDuration(incident)}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"**Impact:** {Impact(incident)}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"**Root Cause:** {RootCausePlaceholder}\n\n");

        text.Append("## Timeline\n\n");
        foreach (var line in TimelineLines(report))
        {
            text.Append(line).Append('\n');
        }

        text.Append("\n## Durations\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- Breach → detected: {DurationOrNotReached(incident.BreachToDetection)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Detected → action started: {DurationOrNotReached(incident.DetectionToAction)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Action started → action done: {DurationOrNotReached(incident.ActionDuration)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Action done → recovered: {DurationOrNotReached(incident.ActionDoneToRecovery)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Total: {DurationOrNotReached(incident.Total)}\n");

        text.Append("\n## Actions\n\n");
        if (report.Runs.Count == 0)
        {
            text.Append("No action was run.\n");
        }

        for (var i = 0; i < report.Runs.Count; i++)
        {
            text.Append(i == 0 ? "" : "\n");
            AppendRun(text, report.Runs[i], report.Approvals);
        }

        text.Append("\n## Action Items\n\n");
        text.Append("- [ ] Root cause analysis\n");
        text.Append("- [ ] Fix forward plan\n");
        text.Append("- [ ] Process improvements\n");
        return text.ToString();
    }

    private static string HeaderDuration(Incident incident) =>
        incident.Status == IncidentStatus.Open ? "ongoing (open)"
        : incident.Total is { } total ? ReportTimeText.Duration(total)
        : NotReached;

    private static string DurationOrNotReached(TimeSpan? duration) =>
        duration is { } value ? ReportTimeText.Duration(value) : NotReached;

    private static string Impact(Incident incident)
    {
        var impact = new StringBuilder();
        impact.Append(CultureInfo.InvariantCulture, $"rule {incident.TriggerRule} fired ({OneLine(incident.TriggerSummary)}); ");
        impact.Append(CultureInfo.InvariantCulture, $"action {incident.TriggerAction.ToName()}, authority {incident.TriggerAuthority.ToName()}");
        if (incident.BeforeState is not null || incident.AfterState is not null)
        {
            impact.Append(CultureInfo.InvariantCulture, $"; {OneLine(incident.BeforeState ?? "unknown")} → {OneLine(incident.AfterState ?? "unknown")}");
        }

        return impact.ToString();
    }

    private static IEnumerable<string> TimelineLines(IncidentReport report)
    {
        var incident = report.Incident;
        var noun = ActionNoun(incident.TriggerAction);
        var entries = new List<(DateTimeOffset At, int Rank, string Text)>();

        // The template's three anchor lines come from the incident itself when no event says the same thing;
        // there is no "action started" event kind, so "initiated" always comes from ActionStartedAt.
        if (!report.Timeline.Any(e => e.Kind == IncidentEventKind.Detected))
        {
            entries.Add((incident.DetectedAt, 0, Entry("Issue detected", $"{incident.TriggerRule}: {incident.TriggerSummary}")));
        }

        if (incident.ActionStartedAt is { } started)
        {
            entries.Add((started, 0, Entry($"{noun} initiated", Initiated(report, started))));
        }

        if (incident.ActionCompletedAt is { } completed && !report.Timeline.Any(e => e.Kind == IncidentEventKind.ActionCompleted))
        {
            entries.Add((completed, 2, Entry($"{noun} completed", null)));
        }

        entries.AddRange(report.Timeline.Select(e => (e.At, 1, Entry(Label(e.Kind, noun), e.Summary))));

        // OrderBy is stable: events at the same instant keep the order they were appended in.
        return entries
            .OrderBy(e => e.At)
            .ThenBy(e => e.Rank)
            .Select(e => $"- {ReportTimeText.Offset(e.At - incident.DetectedAt)}: {e.Text}");
    }

    private static string Initiated(IncidentReport report, DateTimeOffset started)
    {
        var run = report.Runs.FirstOrDefault(r => r.Run.StartedAt == started)?.Run
            ?? report.Runs.FirstOrDefault(r => r.Run.StartedAt is not null)?.Run;
        var what = run is null ? report.Incident.TriggerAction.ToName() : $"run #{run.Id}, {run.Action.ToName()}";
        return report.Incident.ApprovedBy is { } approvedBy ? $"{what}, approved by {approvedBy}" : what;
    }

    private static string Entry(string label, string? summary) =>
        string.IsNullOrWhiteSpace(summary) ? label : $"{label} ({OneLine(summary)})";

    private static string Label(string kind, string noun) => kind switch
    {
        IncidentEventKind.Detected => "Issue detected",
        IncidentEventKind.Decision => "Decision",
        IncidentEventKind.ActionPlanned => "Action planned",
        IncidentEventKind.ActionSkipped => "Action skipped",
        IncidentEventKind.StepStarted => "Step started",
        IncidentEventKind.StepSucceeded => "Step succeeded",
        IncidentEventKind.StepFailed => "Step failed",
        IncidentEventKind.StepInterrupted => "Step interrupted",
        IncidentEventKind.StepResumed => "Step resumed",
        IncidentEventKind.StepProgress => "Step progress",
        IncidentEventKind.ActionCompleted => $"{noun} completed",
        IncidentEventKind.ApprovalRequested => "Approval requested",
        IncidentEventKind.ApprovalEscalated => "Approval escalated",
        IncidentEventKind.Approved => "Approved",
        IncidentEventKind.Rejected => "Rejected",
        IncidentEventKind.NotificationSent => "Notification sent",
        IncidentEventKind.NotificationFailed => "Notification failed",
        IncidentEventKind.StateSaved => "State saved",
        IncidentEventKind.VerifiedHealthy => "Verified healthy",
        IncidentEventKind.Closed => "Incident closed",
        _ => kind,
    };

    /// <summary>What the template calls "Rollback", named after what was actually done.</summary>
    private static string ActionNoun(DecisionAction action) => action switch
    {
        DecisionAction.Rollback or DecisionAction.ScaleThenRollback => "Rollback",
        DecisionAction.StopWrites => "Stop-writes",
        DecisionAction.Scale => "Scale-out",
        _ => "Action",
    };

    private static void AppendRun(StringBuilder text, IncidentRunReport runReport, IReadOnlyList<Approval> approvals)
    {
        var run = runReport.Run;
        var dryRun = run.DryRun && run.Status != ActionRunStatus.DryRun ? " (dry run)" : "";
        text.Append(CultureInfo.InvariantCulture, $"### Run #{run.Id}: {run.Action.ToName()} — {run.Status.ToName()}{dryRun}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- Authority: {run.Authority.ToName()}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Approved by: {ApprovedBy(run, approvals)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Rule: {run.Rule}\n");
        if (runReport.TraceId is { } traceId)
        {
            text.Append(CultureInfo.InvariantCulture, $"- Trace: `{traceId}`\n");
        }
        if (run.StartedAt is { } started)
        {
            text.Append(CultureInfo.InvariantCulture, $"- Started: {ReportTimeText.Timestamp(started)}\n");
        }

        if (run.CompletedAt is { } completed)
        {
            var took = run.StartedAt is { } from ? $" (took {ReportTimeText.Duration(completed - from)})" : "";
            text.Append(CultureInfo.InvariantCulture, $"- Completed: {ReportTimeText.Timestamp(completed)}{took}\n");
        }

        if (run.Reason is { } reason)
        {
            text.Append(CultureInfo.InvariantCulture, $"- Reason: {OneLine(reason)}\n");
        }

        if (runReport.Steps.Count == 0)
        {
            text.Append("- Steps: none\n");
            return;
        }

        text.Append("- Steps:\n");
        foreach (var step in runReport.Steps)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {step.Number}. {Step(step)}\n");
        }
    }

    private static string Step(ActionStep step)
    {
        var parameters = step.Parameters.Count == 0
            ? ""
            : " (" + string.Join(", ", Redaction.Parameters(step.Parameters).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) + ")";
        var attempts = step.Attempts > 1 ? string.Create(CultureInfo.InvariantCulture, $", {step.Attempts} attempts") : "";
        var outcome = step.Error is { } error ? $": {OneLine(error)}"
            : step.Result is { } result ? $": `{OneLine(result)}`"
            : "";
        return $"{step.Action}{parameters} — {step.Status.ToName()}{attempts}{outcome}";
    }

    private static string ApprovedBy(ActionRun run, IReadOnlyList<Approval> approvals)
    {
        if (run.Authority == Authority.Automatic)
        {
            return "automatic";
        }

        return approvals.LastOrDefault(a => a.RunId == run.Id) switch
        {
            null => NotReached,
            { Status: ApprovalStatus.Approved } a => a.DecidedBy ?? "unknown",
            { Status: ApprovalStatus.AutoApproved } a => $"{a.DecidedBy ?? "auto"} (auto-approved, nobody answered)",
            { Status: ApprovalStatus.Rejected } a => $"nobody (rejected by {a.DecidedBy ?? "unknown"})",
            { } a => $"pending ({a.Required.ToName()} or above)",
        };
    }

    // Summaries and free text are meant to be one line; a stray newline would break the Markdown list.
    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
