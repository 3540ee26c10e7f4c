using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Incidents;

/// <summary>
/// Hands the watch loop's decisions to the incident manager and then to the observers, and the executor's action
/// times back to the rules.
/// </summary>
internal sealed class IncidentDecisionHandler(IncidentManager incidents, ActionExecutor executor, IEnumerable<IDecisionObserver> observers, QuietTargets quiet) : IDecisionHandler
{
    private readonly IDecisionObserver[] _observers = [.. observers];

    public async Task<DateTimeOffset?> LastActionAtAsync(string target, CancellationToken cancellationToken)
    {
        // A healthy target that never acted costs no query per cycle (see QuietTargets for why that stays true).
        if (quiet.NeverActed(target))
        {
            return null;
        }

        var (lastAction, runPending) = await executor.ActionHistoryAsync(target, cancellationToken);
        if (lastAction is null && !runPending)
        {
            quiet.MarkNeverActed(target);
        }

        return lastAction;
    }

    public async Task HandleAsync(TargetOptions target, CompiledPolicy policy, PolicyState state, Decision decision, CancellationToken cancellationToken)
    {
        // Incidents first: acting on a bad release must never wait for bookkeeping about good ones.
        await incidents.OnDecisionAsync(target, policy, state, decision, cancellationToken);
        foreach (var observer in _observers)
        {
            await observer.ObserveAsync(target, decision, cancellationToken);
        }
    }
}
