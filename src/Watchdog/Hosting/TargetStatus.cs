using Watchdog.Rules;

namespace Watchdog.Hosting;

/// <summary>
/// What the watch loop last concluded for one target. An immutable snapshot, replaced whole after each
/// evaluation, so HTTP handlers can read it while the loop runs.
/// </summary>
/// <param name="Target">The target's name from the configuration.</param>
/// <param name="Policy">The name of the policy that decides for it.</param>
internal sealed record TargetStatus(string Target, string Policy)
{
    /// <summary>The decision of the last successful evaluation; null until the first one.</summary>
    public Decision? LastDecision { get; init; }

    /// <summary>The explanation of <see cref="LastDecision"/>, as of the last time the decision changed.</summary>
    public string? Explanation { get; init; }

    /// <summary>The signal values the last evaluation saw (no data and errors marked).</summary>
    public IReadOnlyList<SignalReading> Signals { get; init; } = [];

    /// <summary>When the target was last due and evaluated successfully.</summary>
    public DateTimeOffset? LastEvaluatedAt { get; init; }

    /// <summary>When the target is next due.</summary>
    public DateTimeOffset? NextDueAt { get; init; }

    public long Evaluations { get; init; }

    /// <summary>Evaluations that threw and produced no decision.</summary>
    public long Failures { get; init; }

    public string? LastFailure { get; init; }

    public DateTimeOffset? LastFailureAt { get; init; }
}
