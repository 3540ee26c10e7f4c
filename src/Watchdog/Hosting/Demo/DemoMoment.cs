using Watchdog.Sandbox.Demo;

namespace Watchdog.Hosting.Demo;

/// <summary>What the demo sees of the world and the daemon at one poll: the cluster, the target's view, its incident.</summary>
/// <param name="Image">The image deployment checkout runs.</param>
/// <param name="Revision">Its revision, as kubectl rollout history numbers it.</param>
/// <param name="Flag">Flag checkout-v2 as the flag server holds it (<c>on at 50 %</c>).</param>
/// <param name="ErrorRate">The error rate Watchdog last read (0-1); null before the first read or when it had none.</param>
/// <param name="Memory">The memory utilization (working set over limit, 0-1) Watchdog last read; null as for the error rate.</param>
/// <param name="Decision">The last decision's action and rule, as the API shows them (<c>rollback by error-rate-critical</c>).</param>
/// <param name="IncidentId">The incident being followed: the open one, or the last one opened.</param>
/// <param name="IncidentStatus">That incident's status (<c>open</c>, <c>closed</c>, ...).</param>
/// <param name="CloseReason">Why it closed (<c>recovered</c>, ...), once it has.</param>
/// <param name="Events">The kinds of that incident's timeline entries, in order (<c>detected</c>, <c>not-recovered</c>, ...).</param>
/// <param name="RunsStarted">How many of that incident's runs started (a run held back or refused never does).</param>
/// <param name="Paged">Every message the pager received (and the timeline printed) since the demo started, in order.</param>
internal sealed record DemoMoment(
    string Image,
    string Revision,
    string Flag,
    double? ErrorRate,
    double? Memory,
    string? Decision,
    long? IncidentId,
    string? IncidentStatus,
    string? CloseReason,
    IReadOnlyList<string> Events,
    int RunsStarted,
    IReadOnlyList<PagedMessage> Paged);
