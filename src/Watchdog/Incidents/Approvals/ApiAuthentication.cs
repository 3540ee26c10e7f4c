using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Watchdog.Incidents.Approvals;

/// <summary>The bearer-token check every write endpoint shares: who is calling, and the 401 when nobody valid is.</summary>
internal static class ApiAuthentication
{
    /// <summary>The caller of a valid token, or null (and the refusal logged, without the token).</summary>
    public static ApiCaller? Authenticate(HttpContext http)
    {
        var caller = http.RequestServices.GetRequiredService<ApiTokenAuthenticator>().Authenticate(http.Request.Headers.Authorization);
        if (caller is null)
        {
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApprovalEndpoints).FullName!);
            ApprovalLog.Unauthenticated(logger, http.Request.Method, http.Request.Path);
        }

        return caller;
    }

    public static IResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Json(new ApprovalApiError("a valid bearer token is required"), ApprovalJson.Options, statusCode: StatusCodes.Status401Unauthorized);
    }
}
