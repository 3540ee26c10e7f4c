using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Incidents;

/// <summary>What the watch loop does with each decision beyond logging it: incidents, actions, cooldowns.</summary>
internal interface IDecisionHandler
{
    /// <summary>When the last action on the target started, so rule cooldowns see it; null when never.</summary>
    Task<DateTimeOffset?> LastActionAtAsync(string target, CancellationToken cancellationToken);

    /// <summary>Records and acts on a decision; <paramref name="state"/> holds the evaluation it came from.</summary>
    Task HandleAsync(TargetOptions target, CompiledPolicy policy, PolicyState state, Decision decision, CancellationToken cancellationToken);
}
