using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>A release unit Watchdog watches: its signals, the policy that decides, and what each action means for it.</summary>
public sealed record TargetOptions
{
    public string Name { get; init; } = "";

    /// <summary>The name of the policy that decides for this target.</summary>
    public string Policy { get; init; } = "";

    /// <summary>How often the target is evaluated (default 15 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Decide and report, but execute no action.</summary>
    public bool DryRun { get; init; }

    /// <summary>Values for the <c>{{name}}</c> placeholders of signal queries; <c>{{target}}</c> is always the target's name.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<HealthCheckOptions> Health { get; init; } = [];

    /// <summary>For each action a policy may decide, the steps that carry it out for this target, in order.</summary>
    public IReadOnlyDictionary<DecisionAction, IReadOnlyList<PlanStepOptions>> Plans { get; init; } =
        new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>();
}
