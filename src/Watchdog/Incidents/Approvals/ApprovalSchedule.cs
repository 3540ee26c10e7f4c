using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Incidents.Approvals;

/// <summary>
/// When an unanswered approval escalates and to whom (one list for all targets), and when it is approved on
/// nobody's behalf (per target, from its policy's <c>auto_approve_after</c>; null keeps waiting).
/// </summary>
/// <param name="Escalation">Levels in rising order of <see cref="EscalationLevelOptions.After"/>; level 0 is notified at once.</param>
internal sealed record ApprovalSchedule(IReadOnlyList<EscalationLevelOptions> Escalation, Func<string, TimeSpan?> AutoApproveAfter)
{
    public static ApprovalSchedule From(WatchdogOptions options, IReadOnlyDictionary<string, CompiledPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policies);
        var byTarget = options.Targets.ToDictionary(
            target => target.Name,
            target => policies.GetValueOrDefault(target.Policy)?.Definition.Approval.AutoApproveAfter,
            StringComparer.Ordinal);

        // A target removed from the configuration while its approval waits keeps waiting: approving on a
        // policy nobody can see any more would be the surprising choice.
        return new ApprovalSchedule(options.Approvals.Escalation, target => byTarget.GetValueOrDefault(target));
    }

    /// <summary>The highest level due after waiting this long; level 0 is due at once whatever its <c>After</c> says.</summary>
    public int LevelDueAfter(TimeSpan waited)
    {
        var level = 0;
        for (var i = 1; i < Escalation.Count; i++)
        {
            if (Escalation[i].After <= waited)
            {
                level = i;
            }
        }

        return level;
    }

    /// <summary>Everyone on levels <paramref name="from"/> to <paramref name="to"/>, in order, each once.</summary>
    public IReadOnlyList<string> NotifyOn(int from, int to) =>
        [.. Escalation.Skip(from).Take(to - from + 1).SelectMany(level => level.Notify).Distinct(StringComparer.Ordinal)];

    /// <summary>Who was notified, for timeline entries and logs.</summary>
    public static string Describe(IReadOnlyList<string> notify) =>
        notify.Count == 0 ? "no one (no escalation configured)" : string.Join(", ", notify);
}
