using Watchdog.Actions;

namespace Watchdog.Hosting;

/// <summary>
/// <see cref="ITargetSignals"/> over the watch cycle's statuses: the step waits, looking again every
/// <see cref="Poll"/>, until the target has an evaluation made at or after the time asked for.
/// </summary>
/// <param name="cycle">
/// Resolved on first use, not at construction: the cycle depends (through the decision handler and the executor) on
/// the action plug-ins, one of which depends on this.
/// </param>
internal sealed class WatchCycleTargetSignals(Func<WatchCycle> cycle, TimeProvider time) : ITargetSignals
{
    /// <summary>How often a waiting step looks at the status again; well under any target's interval worth having.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public async Task<TargetEvaluation?> EvaluatedAfterAsync(string target, DateTimeOffset notBefore, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            if (cycle().StatusOf(target) is { LastEvaluatedAt: { } at } status && at >= notBefore)
            {
                return new TargetEvaluation(at, status.Signals);
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(left < Poll ? left : Poll, time, cancellationToken);
        }
    }
}
