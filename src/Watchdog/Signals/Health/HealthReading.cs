using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Signals.Health;

/// <summary>One target's probes as a signal value: the failed share, with every failed endpoint and why as its note.</summary>
internal static class HealthReading
{
    /// <summary>No endpoints: no data. A probe Watchdog could not judge: an error (unknown), never a failure.</summary>
    public static SignalValue Of(TargetOptions target, IReadOnlyList<HealthProbeOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return SignalValue.NoData;
        }

        var failed = List(target, outcomes, HealthProbeVerdict.Failed);
        var unjudged = List(target, outcomes, HealthProbeVerdict.Unjudged);
        if (unjudged.Count > 0)
        {
            var alsoFailed = failed.Count == 0 ? "" : $"; {failed.Count} failed: {string.Join("; ", failed)}";
            return SignalValue.Error($"{unjudged.Count}/{outcomes.Count} health probes could not be judged: {string.Join("; ", unjudged)}{alsoFailed}");
        }

        var note = failed.Count == 0 ? null : $"{failed.Count}/{outcomes.Count} failed: {string.Join("; ", failed)}";
        return SignalValue.Of((double)failed.Count / outcomes.Count, note);
    }

    private static List<string> List(TargetOptions target, IReadOnlyList<HealthProbeOutcome> outcomes, HealthProbeVerdict verdict)
    {
        var lines = new List<string>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Verdict == verdict)
            {
                lines.Add($"{HealthLog.Describe(target.Health[i].Url)} {outcomes[i].Reason}");
            }
        }

        return lines;
    }
}
