using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Leadership;

namespace Watchdog.Hosting;

/// <summary>
/// <c>GET /api/v1/ha</c>: who leads, since when and at which epoch, and what this replica is. With one replica it
/// leads at epoch 0. The leader's identity on a follower is the one it saw at its last try of the lock.
/// </summary>
internal static class HaEndpoint
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = ApiJson.Encoder };

    public static IEndpointRouteBuilder MapHaEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/ha", (LeaderState leadership, WatchdogOptions options) =>
        {
            var term = leadership.Term;
            var leader = leadership.Leader;
            return Results.Json(
                new HaView(
                    leadership.Enabled,
                    options.Ha.Lock.ToString().ToLowerInvariant(),
                    leadership.Enabled ? options.Ha.LeaseName : null,
                    leadership.Identity,
                    leadership.IsLeader ? "leader" : "follower",
                    leader is { } known ? new HaLeaderView(known.Holder, known.Epoch, known.Since) : null,
                    term is { } current && leadership.IsLeader ? current.RenewedAt : null,
                    leadership.Transitions),
                Json);
        });
        return endpoints;
    }
}
