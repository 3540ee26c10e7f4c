using System.Diagnostics;
using Watchdog.Telemetry;

namespace Watchdog.Benchmarks;

/// <summary>
/// Where the time between an alert's POST and the undo's first Kubernetes request goes, from the daemon's own spans:
/// milliseconds from just before the POST to the start of the watch cycle that evaluated the target (the wake-up), to
/// the start of that target's evaluation, to the end of its decision (signals read, last action looked up, decided), to
/// the start of the action run (incident opened and run written in between), to the start of its first step.
/// </summary>
internal sealed record AlertPathPhases(double CycleStart, double TargetStart, double Decided, double RunStart, double StepStart)
{
    public static AlertPathPhases? Of(IReadOnlyList<RecordedSpan> spans, string target, long posted)
    {
        var evaluation = spans.Where(s => s.Name == WatchdogActivities.WatchTarget && s.Target == target && s.Start >= posted).MinBy(s => s.Start);
        var run = spans.Where(s => s.Name == WatchdogActivities.ActionRun && s.Target == target && s.Start >= posted).MinBy(s => s.Start);
        if (evaluation is null || run is null)
        {
            return null;
        }

        var cycle = spans.FirstOrDefault(s => s.Id == evaluation.Parent);
        var decide = spans.FirstOrDefault(s => s.Name == WatchdogActivities.Decide && s.Parent == evaluation.Id);
        var step = spans.Where(s => s.Name == WatchdogActivities.ActionStep && s.Parent == run.Id).MinBy(s => s.Start);
        return cycle is null || decide is null || step is null
            ? null
            : new AlertPathPhases(Ms(posted, cycle.Start), Ms(posted, evaluation.Start), Ms(posted, decide.End), Ms(posted, run.Start), Ms(posted, step.Start));
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
