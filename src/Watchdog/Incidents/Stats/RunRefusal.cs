using System.Text.Json;
using Watchdog.Actions;
using Watchdog.Records;

namespace Watchdog.Incidents.Stats;

/// <summary>
/// Whether a run was refused by a safety rail rather than executed: held back by cooldown or budget (a skipped run),
/// stopped because its undo would land on a known-bad revision (a failed step that says <c>refused:</c>), or finding
/// the target already as wanted (every step succeeded with a <c>skipped</c> outcome, e.g. "already matches").
/// Read from what the run and its steps recorded, so runs stored before this existed are classified too.
/// </summary>
internal static class RunRefusal
{
    public static bool NeedsSteps(ActionRun run) =>
        run.Status is ActionRunStatus.Succeeded or ActionRunStatus.Failed;

    public static bool IsRefused(ActionRun run, IReadOnlyList<ActionStep> steps)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        return run.Status switch
        {
            // "no plan:" is a configuration gap, not a rail.
            ActionRunStatus.Skipped => run.Reason is { } reason
                && (reason.StartsWith("cooldown:", StringComparison.Ordinal) || reason.StartsWith("budget:", StringComparison.Ordinal)
                    || reason.StartsWith(RunPlanner.NotRepeated + ":", StringComparison.Ordinal)),
            ActionRunStatus.Failed => steps.Any(s => s.Status == StepStatus.Failed && s.Error?.StartsWith("refused:", StringComparison.Ordinal) == true),
            ActionRunStatus.Succeeded => steps.Count > 0 && steps.All(s => s.Status == StepStatus.Succeeded && SummaryOf(s)?.StartsWith("skipped", StringComparison.Ordinal) == true),
            _ => false,
        };
    }

    private static string? SummaryOf(ActionStep step)
    {
        if (step.Result is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(step.Result);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("summary", out var summary)
                && summary.ValueKind == JsonValueKind.String
                    ? summary.GetString()
                    : null;
        }
        catch (JsonException)
        {
            // A result that is not the executor's JSON says nothing about a skip; the run counts as executed.
            return null;
        }
    }
}
