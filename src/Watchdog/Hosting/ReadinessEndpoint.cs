using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Watchdog.Leadership;
using Watchdog.Records;
using Watchdog.Store;

namespace Watchdog.Hosting;

/// <summary>
/// <c>GET /readyz</c>: ready once the watch loop has completed a cycle (on the leader; a follower runs none) and while the store answers. A daemon that
/// cannot journal what it does should not be sent traffic or counted as the healthy replica.
/// </summary>
internal static class ReadinessEndpoint
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/readyz", async (WatchCycle cycle, IWatchdogStore store, LeaderState leadership, HttpContext http) =>
        {
            // A follower evaluates nothing, and is ready to serve the API and take webhooks once the store answers.
            if (!cycle.IsReady && leadership.IsLeader)
            {
                return NotReady("the watch loop has not completed its first cycle", cycle);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(PingTimeout);
            try
            {
                await store.PingAsync(timeout.Token);
            }
            catch (Exception ex) when (StoreOutage.Is(ex) || ex is OperationCanceledException && !http.RequestAborted.IsCancellationRequested)
            {
                // By design: an unreachable store is the answer "not ready", not an error of this endpoint.
                return NotReady(ex is OperationCanceledException ? $"the store did not answer within {PingTimeout.TotalSeconds:0} s" : StoreOutageAnswers.Describe(ex), cycle);
            }

            return Results.Json(new ReadinessReport("ready", null, cycle.CompletedCycles));
        });
        return endpoints;
    }

    private static IResult NotReady(string reason, WatchCycle cycle) =>
        Results.Json(new ReadinessReport("not ready", reason, cycle.CompletedCycles), statusCode: StatusCodes.Status503ServiceUnavailable);
}
