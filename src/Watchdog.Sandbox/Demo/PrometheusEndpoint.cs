using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Sandbox.Demo;

/// <summary>
/// Enough of Prometheus's HTTP API for Watchdog's instant queries: <c>GET</c> or <c>POST /api/v1/query</c> answers
/// a one-series vector with the sample app's error rate for a query over <c>http_requests_total</c> (or just
/// <c>error_rate</c>), its memory utilization for one over <c>container_memory_working_set_bytes</c> (or
/// <c>memory_utilization</c>), and an empty vector (no such series) for any other.
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

    private static async Task AnswerAsync(HttpContext http, SampleApp app, TimeProvider time)
    {
        if (http.Request.Path != "/api/v1/query")
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var query = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))["query"].ToString() : http.Request.Query["query"].ToString();
        double? sample = Mentions(query, "container_memory_working_set_bytes", "memory_utilization") ? app.MemoryUtilization
            : Mentions(query, "http_requests_total", "error_rate") ? app.ErrorRate
            : null;
        var at = (time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
        var series = sample is { } value
            ? $$$"""{"metric":{"deployment":"checkout"},"value":[{{{at}}},"{{{value.ToString("R", CultureInfo.InvariantCulture)}}}"]}"""
            : "";
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync($$$"""{"status":"success","data":{"resultType":"vector","result":[{{{series}}}]}}""", http.RequestAborted);
    }

    private static bool Mentions(string query, params string[] names) => names.Any(name => query.Contains(name, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
