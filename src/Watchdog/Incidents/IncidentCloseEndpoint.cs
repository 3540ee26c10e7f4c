using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Watchdog.Incidents.Approvals;
using Watchdog.Rules;

namespace Watchdog.Incidents;

/// <summary><c>POST /api/v1/incidents/{id}/close</c>: an operator closes an incident by hand (bearer token, on-call or above).</summary>
internal static class IncidentCloseEndpoint
{
    public static IEndpointRouteBuilder MapIncidentCloseEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/incidents/{id:long}/close", async (long id, HttpContext http, IncidentManager incidents) =>
        {
            if (ApiAuthentication.Authenticate(http) is not { } caller)
            {
                return ApiAuthentication.Unauthorized(http);
            }

            if (caller.Role < Authority.OnCall)
            {
                return Results.Json(new { error = "closing an incident needs the on-call authority or above", required = "on-call" }, statusCode: StatusCodes.Status403Forbidden);
            }

            var comment = http.Request.Query["comment"].FirstOrDefault();
            return await incidents.CloseAsync(id, caller.Name, comment, http.RequestAborted)
                ? Results.Json(new { id, status = "closed", closedBy = caller.Name })
                : Results.Json(new { error = $"incident {id} is unknown or already closed" }, statusCode: StatusCodes.Status404NotFound);
        });
        return endpoints;
    }
}
