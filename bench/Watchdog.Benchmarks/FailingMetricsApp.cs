using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Watchdog.Benchmarks;

/// <summary>
/// A sample application for Prometheus to scrape (Kestrel on 127.0.0.1): <c>http_requests_total</c> of one deployment
/// by code, 100 requests per second, all 200 until <see cref="StartFailing"/> makes a share of them 500 from that
/// instant on. Counters are the rates integrated over time, and each sample carries the instant it was computed as its
/// timestamp, so Prometheus sees them grow at exactly their rates even when a loaded machine serves a scrape late.
/// </summary>
internal sealed class FailingMetricsApp : IAsyncDisposable
{
    private const double RequestsPerSecond = 100;

    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private long _last = Stopwatch.GetTimestamp();
    private double _ok;
    private double _failed;
    private double _failingShare;

    private FailingMetricsApp(WebApplication app) => _app = app;

    /// <summary>host:port, as a Prometheus scrape target.</summary>
    public string Address => new Uri(_app.Urls.First()).Authority;

    public static async Task<FailingMetricsApp> StartAsync(string deployment, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var metrics = new FailingMetricsApp(app);
        app.MapGet("/metrics", () => Results.Text(metrics.Exposition(deployment), "text/plain; version=0.0.4"));
        await app.StartAsync(cancellationToken);
        return metrics;
    }

    /// <summary>From now on, <paramref name="share"/> of the requests fail (0 heals the app).</summary>
    public void StartFailing(double share)
    {
        lock (_gate)
        {
            Advance();
            _failingShare = share;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private string Exposition(string deployment)
    {
        double ok, failed;
        lock (_gate)
        {
            Advance();
            (ok, failed) = (_ok, _failed);
        }

        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var text = new StringBuilder("# TYPE http_requests_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"http_requests_total{{namespace=\"{SimulatorDeployments.Namespace}\",deployment=\"{deployment}\",code=\"200\"}} {ok:R} {timestamp}\n");
        text.Append(CultureInfo.InvariantCulture, $"http_requests_total{{namespace=\"{SimulatorDeployments.Namespace}\",deployment=\"{deployment}\",code=\"500\"}} {failed:R} {timestamp}\n");
        return text.ToString();
    }

    // Integrates the counters up to now at the share that held since the last call.
    private void Advance()
    {
        var now = Stopwatch.GetTimestamp();
        var requests = RequestsPerSecond * Stopwatch.GetElapsedTime(_last, now).TotalSeconds;
        _last = now;
        _failed += requests * _failingShare;
        _ok += requests * (1 - _failingShare);
    }
}
