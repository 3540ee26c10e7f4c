using System.Diagnostics;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Secrets;
using Watchdog.Telemetry;

namespace Watchdog.Actions;

/// <summary>The spans of a run and its steps, with what a reader of the trace needs to know which change it was.</summary>
internal static class RunTracing
{
    /// <summary>The run's span, continuing the trace that planned it (the watch cycle's, or the approval's request).</summary>
    public static Activity? StartRun(long runId, ActivityContext plannedIn)
    {
        var span = WatchdogActivities.Source.StartActivity(WatchdogActivities.ActionRun, ActivityKind.Internal, plannedIn);
        span?.SetTag("watchdog.run.id", runId);
        return span;
    }

    /// <summary>Tags the run's span, when the executor is running under one, once the run is read from the store.</summary>
    public static void Describe(ActionRun run)
    {
        if (Activity.Current is { OperationName: WatchdogActivities.ActionRun } span)
        {
            span.SetTag("watchdog.target", run.Target);
            span.SetTag("watchdog.incident.id", run.IncidentId);
            span.SetTag("watchdog.action", run.Action.ToName());
            span.SetTag("watchdog.authority", run.Authority.ToName());
            span.SetTag("watchdog.rule", run.Rule);
        }
    }

    /// <summary>Puts the run's outcome on its span: <c>watchdog.run.status</c>, and status error with the reason unless it succeeded.</summary>
    public static void Outcome(ActionRunStatus status, string? reason)
    {
        if (Activity.Current is { OperationName: WatchdogActivities.ActionRun } span)
        {
            span.SetTag("watchdog.run.status", status.ToName());
            if (status != ActionRunStatus.Succeeded)
            {
                span.SetStatus(ActivityStatusCode.Error, reason ?? status.ToName());
            }
        }
    }

    /// <summary>A step's span, its parameters as attributes as the store keeps them: secrets as <c>***</c>, URLs without their query values.</summary>
    public static Activity? StartStep(ActionRun run, ActionStep step)
    {
        var span = WatchdogActivities.Source.StartActivity(WatchdogActivities.ActionStep);
        if (span is null)
        {
            return null;
        }

        span.SetTag("watchdog.target", run.Target);
        span.SetTag("watchdog.run.id", run.Id);
        span.SetTag("watchdog.step.number", step.Number);
        span.SetTag("watchdog.step.action", step.Action);
        foreach (var (name, value) in Redaction.Parameters(step.Parameters))
        {
            span.SetTag("watchdog.step.parameter." + name, value);
        }

        return span;
    }

    public static void Finish(Activity? span, ActionResult result)
    {
        if (span is not null && !result.Succeeded)
        {
            span.SetStatus(ActivityStatusCode.Error, result.Summary);
        }
    }

    /// <summary>The trace the run is carried out in, as kept on its timeline (the incident report shows it); null when untraced.</summary>
    public static string? CurrentTraceId() => Activity.Current is { } span ? span.TraceId.ToHexString() : null;
}
