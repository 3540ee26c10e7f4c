using Microsoft.Extensions.Logging;
using Watchdog.Rules;
using Watchdog.Leadership;

namespace Watchdog.Incidents.Approvals;

/// <summary>A thin loop around <see cref="ApprovalService.RunOnceAsync"/>, which holds all the behaviour.</summary>
internal sealed class ApprovalEscalationLoop(
    ApprovalService approvals, ApiTokenAuthenticator tokens, TimeProvider time, ILogger<ApprovalEscalationLoop> logger, LeaderState? leadership = null)
    : LeaderBackgroundService(leadership ?? LeaderState.Solo(time))
{
    protected override async Task ExecuteTermAsync(CancellationToken stoppingToken)
    {
        ApprovalLog.Started(logger, DurationText.Human(ApprovalService.TickPeriod), tokens.Count);
        using var timer = new PeriodicTimer(ApprovalService.TickPeriod, time);
        do
        {
            await approvals.RunOnceAsync(stoppingToken);   // catches and logs its own failures
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
