using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents;

/// <summary>
/// How long a target settles after a successful action: metrics lag (a rate over a minute still counts the bad
/// release's errors), so for the policy's longest <c>for</c> window plus two intervals after the run completed, the
/// rules are evaluated and shown but propose nothing and page nothing. The run itself ends only when its steps do,
/// so a plan that waits for its rollout (<c>rollout-wait</c>) settles from the end of the rollout.
/// </summary>
internal static class Settling
{
    /// <summary>Until when <paramref name="incident"/>'s target settles, or null when it has had no successful action.</summary>
    public static DateTimeOffset? Until(Incident incident, TargetOptions target, CompiledPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(policy);
        return incident.ActionCompletedAt + Window(target, policy);
    }

    public static TimeSpan Window(TargetOptions target, CompiledPolicy policy) => policy.LongestFor + (2 * target.Interval);

    public static bool IsSettling(Incident? incident, TargetOptions target, CompiledPolicy policy, DateTimeOffset now) =>
        incident is not null && Until(incident, target, policy) is { } until && now < until;
}
