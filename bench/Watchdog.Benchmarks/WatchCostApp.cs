using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Watchdog.Benchmarks;

/// <summary>
/// The scrape target of <c>bench/watch-cost.sh</c>: <c>/metrics</c> with series for N deployments, as an app would
/// expose them, for a real Prometheus to scrape and the daemon to query through five grouped signals:
/// <c>watch-cost-app --deployments N --urls http://127.0.0.1:PORT [--breached-percent P]</c>.
/// Per deployment: <c>http_requests_total</c> by code (200 and 500), latency and memory gauges, and restarts. Counters grow
/// with the wall clock at fixed rates (100/s, 0.1 % errors; 20 % errors for the breached share), so every rate is steady.
/// </summary>
internal static class WatchCostApp
{
    public static async Task RunAsync(string[] args)
    {
        var deployments = int.Parse(BenchArgs.ValueOf(args, "--deployments") ?? "100", CultureInfo.InvariantCulture);
        var breachedPercent = double.Parse(BenchArgs.ValueOf(args, "--breached-percent") ?? "0", CultureInfo.InvariantCulture);
        var urls = BenchArgs.ValueOf(args, "--urls") ?? "http://127.0.0.1:18090";
        var breached = (int)Math.Round(deployments * breachedPercent / 100);
        var started = TimeProvider.System.GetTimestamp();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        await using var app = builder.Build();
        app.MapGet("/metrics", () => Results.Text(Exposition(deployments, breached, TimeProvider.System.GetElapsedTime(started).TotalSeconds), "text/plain; version=0.0.4"));
        Console.WriteLine($"watch-cost app on {urls}: {deployments} deployments, {breached} breached");
        await app.RunAsync();
    }

    /// <summary>The deployment names the generated daemon config uses too: app-00001, app-00002, ...</summary>
    public static string Deployment(int index) => "app-" + index.ToString("D5", CultureInfo.InvariantCulture);

    private static string Exposition(int deployments, int breached, double seconds)
    {
        var text = new StringBuilder(deployments * 400);
        text.Append("# TYPE http_requests_total counter\n");
        for (var i = 1; i <= deployments; i++)
        {
            var errorShare = i <= breached ? 0.20 : 0.001;
            var total = 100 * seconds;
            Line(text, "http_requests_total", Deployment(i), "code=\"200\",", total * (1 - errorShare));
            Line(text, "http_requests_total", Deployment(i), "code=\"500\",", total * errorShare);
        }

        text.Append("# TYPE app_latency_p99_seconds gauge\n");
        for (var i = 1; i <= deployments; i++)
        {
            Line(text, "app_latency_p99_seconds", Deployment(i), "", 0.120 + (i % 7) * 0.01);
        }

        text.Append("# TYPE app_memory_bytes gauge\n");
        for (var i = 1; i <= deployments; i++)
        {
            Line(text, "app_memory_bytes", Deployment(i), "", 200_000_000 + (i % 13) * 1_000_000);
        }

        text.Append("# TYPE app_restarts_total counter\n");
        for (var i = 1; i <= deployments; i++)
        {
            Line(text, "app_restarts_total", Deployment(i), "", 0);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string metric, string deployment, string labels, double value) =>
        text.Append(metric).Append('{').Append(labels).Append("deployment=\"").Append(deployment).Append("\"} ")
            .Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
