using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>A release unit Watchdog watches: its signals, the policy that decides, and what each action means for it.</summary>
internal sealed record TargetOptions
{
    public string Name { get; init; } = "";

    /// <summary>The name of the policy that decides for this target.</summary>
    public string Policy { get; init; } = "";

    /// <summary>How often the target is evaluated (default 15 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Decide and report, but execute no action.</summary>
    public bool DryRun { get; init; }

    /// <summary>Named in messages and reports, e.g. "production"; defaults to the <c>environment</c> or <c>namespace</c> variable.</summary>
    public string? Environment { get; init; }

    /// <summary>After an action on this target, no further action for this long (default <c>defaults.cooldown</c>).</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many action runs in any hour (default <c>defaults.max_actions_per_hour</c>).</summary>
    public int MaxActionsPerHour { get; init; } = 3;

    /// <summary>Healthy this long after the last action closes the incident (default <c>defaults.recovery_window</c>).</summary>
    public TimeSpan RecoveryWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Healthy this long on a completed rollout makes its revision known good (default <c>defaults.verify_window</c>).</summary>
    public TimeSpan VerifyWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Values for the <c>{{name}}</c> placeholders of signal queries; <c>{{target}}</c> is always the target's name.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<HealthCheckOptions> Health { get; init; } = [];

    /// <summary>
    /// Label matchers (label = value) that tie an Alertmanager alert to this target; an alert whose labels
    /// include all of them becomes the signal <c>alert:&lt;alertname&gt;</c>. Empty: no alerts for this target.
    /// </summary>
    public IReadOnlyDictionary<string, string> AlertMatchers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>For each action a policy may decide, the steps that carry it out for this target, in order.</summary>
    public IReadOnlyDictionary<DecisionAction, IReadOnlyList<PlanStepOptions>> Plans { get; init; } =
        new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>();
}
