using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Sandbox.Demo;

/// <summary>
/// Enough of Prometheus's HTTP API for Watchdog's instant queries: <c>GET</c> or <c>POST /api/v1/query</c> answers
/// a one-series vector holding the sample app's error rate, whatever the query (the demo watches one signal).
/// </summary>
internal sealed class PrometheusEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PrometheusEndpoint(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<PrometheusEndpoint> StartAsync(SampleApp app, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(time);
        var (server, url) = await LoopbackHttp.StartAsync(http => AnswerAsync(http, app, time), cancellationToken);
        return new PrometheusEndpoint(server, url);
    }

    private static Task AnswerAsync(HttpContext http, SampleApp app, TimeProvider time)
    {
        if (http.Request.Path != "/api/v1/query")
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var at = (time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
        var value = app.ErrorRate.ToString("R", CultureInfo.InvariantCulture);
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(
            $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"deployment":"checkout"},"value":[{{{at}}},"{{{value}}}"]}]}}""",
            http.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
