using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchdog.Store;

namespace Watchdog.Hosting;

/// <summary>
/// The HTTP API's answer while the store is away: 503 with <c>{"error": ...}</c> and a Retry-After, instead of a
/// 500 with an empty body. A caller (a script, the status page, a load balancer) can tell "try again" from "broken".
/// </summary>
internal static class StoreOutageAnswers
{
    public static WebApplication UseStoreOutageAnswers(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreOutageAnswers).FullName!);
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception ex) when (StoreOutage.Is(ex) && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                // By design: a store outage is an expected failure of a read, answered as such; the daemon goes on.
                WatchLog.StoreUnavailableForRequest(logger, http.Request.Method, http.Request.Path, ex.Message);
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "5";
                await http.Response.WriteAsJsonAsync(new { error = Describe(ex) }, http.RequestAborted);
            }
        });
        return app;
    }

    /// <summary>"the store does not answer: ..." with the driver's words (host and port, never a password).</summary>
    public static string Describe(Exception exception) => $"the store does not answer: {exception.Message}";
}
