using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Tests.Actions;

/// <summary>The run side as a test drives it: planner, executor and recovery over one store, catalog, queue and clock.</summary>
internal sealed record ExecutorParts(RunPlanner Planner, ActionExecutor Executor, RunRecovery Recovery)
{
    public Task<ActionRun?> ProposeAsync(Incident incident, TargetOptions target, Decision decision, CancellationToken cancellationToken) =>
        Planner.ProposeAsync(incident, target, decision, cancellationToken);

    public Task ExecuteRunAsync(long runId, CancellationToken cancellationToken) => Executor.ExecuteRunAsync(runId, cancellationToken);

    public Task<DateTimeOffset?> LastActionAtAsync(string target, CancellationToken cancellationToken) => Executor.LastActionAtAsync(target, cancellationToken);

    public Task RecoverAsync(CancellationToken cancellationToken) => Recovery.RecoverAsync(cancellationToken);

    public Task OnApprovedAsync(Approval approval, CancellationToken cancellationToken) => Recovery.OnApprovedAsync(approval, cancellationToken);

    public Task OnRejectedAsync(Approval approval, CancellationToken cancellationToken) => Recovery.OnRejectedAsync(approval, cancellationToken);
}
