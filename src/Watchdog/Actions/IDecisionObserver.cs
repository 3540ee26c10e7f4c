using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Actions;

/// <summary>
/// Something that learns from every decision after the incident side has acted on it, e.g. which workload revisions
/// have proved healthy. An observer must not throw for an expected outage: it logs and waits for the next decision.
/// </summary>
internal interface IDecisionObserver
{
    Task ObserveAsync(TargetOptions target, Decision decision, CancellationToken cancellationToken);
}
