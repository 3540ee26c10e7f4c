using Microsoft.AspNetCore.Http;

namespace Watchdog.Incidents.Approvals;

/// <summary>
/// <c>http.read_requires_token: true</c>: a GET (or HEAD) of the endpoints it guards needs a valid API token of any
/// role, else 401 with <c>{"error": ...}</c>. Writes are left to their own checks (the alert intake's credentials, the
/// approval and close endpoints' roles), so one filter can sit on a group that holds both.
/// </summary>
internal sealed class ReadTokenFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) && ApiAuthentication.Authenticate(http) is null)
        {
            return ApiAuthentication.Unauthorized(http);
        }

        return await next(context);
    }
}
