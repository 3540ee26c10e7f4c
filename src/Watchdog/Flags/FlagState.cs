namespace Watchdog.Flags;

/// <summary>
/// A feature flag in one environment as its provider reports it: whether it is on there, and its strategies, each
/// with the share of users it serves when it has one.
/// </summary>
internal sealed record FlagState(string Flag, string Environment, bool Enabled, IReadOnlyList<FlagStrategy> Strategies)
{
    /// <summary>The strategies that carry a rollout percentage, the only ones a reduction changes.</summary>
    public IEnumerable<FlagStrategy> Rollouts => Strategies.Where(s => s.RolloutPercent is not null);

    /// <summary>
    /// The highest rollout percentage, the exposure a reduction starts from (strategies are OR-ed, so the widest one
    /// decides); null when no strategy has one.
    /// </summary>
    public int? HighestRollout => Rollouts.Select(s => s.RolloutPercent).Max();
}

/// <summary>One strategy of a flag; <see cref="RolloutPercent"/> is null for a strategy without a percentage (a user list).</summary>
internal sealed record FlagStrategy(string Id, string Name, int? RolloutPercent);
