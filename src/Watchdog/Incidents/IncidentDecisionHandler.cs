using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;

namespace Watchdog.Incidents;

/// <summary>Hands the watch loop's decisions to the incident manager, and the executor's action times back to the rules.</summary>
internal sealed class IncidentDecisionHandler(IncidentManager incidents, ActionExecutor executor) : IDecisionHandler
{
    public Task<DateTimeOffset?> LastActionAtAsync(string target, CancellationToken cancellationToken) =>
        executor.LastActionAtAsync(target, cancellationToken);

    public Task HandleAsync(TargetOptions target, CompiledPolicy policy, PolicyState state, Decision decision, CancellationToken cancellationToken) =>
        incidents.OnDecisionAsync(target, policy, state, decision, cancellationToken);
}
