using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// A tiny application for Prometheus to scrape (Kestrel on 127.0.0.1): <c>http_requests_total</c> counters of two
/// deployments that grow steadily, at rates chosen so that checkout fails 5 % of requests and payments 20 %, any
/// counters a test adds whose rate it may change while Prometheus scrapes (<see cref="SetCounter"/>), and any gauges
/// a test sets and changes (<see cref="SetGauge"/>).
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    /// <summary>Requests per second, by deployment and status code.</summary>
    public static readonly IReadOnlyList<(string Deployment, string Code, double PerSecond)> Rates =
    [
        ("checkout", "200", 95),
        ("checkout", "500", 5),
        ("payments", "200", 80),
        ("payments", "500", 20),
    ];

    private readonly ConcurrentDictionary<string, double> _gauges = new(StringComparer.Ordinal);
    private readonly List<MetricsCounter> _counters = [];
    private readonly Lock _gate = new();
    private LoopbackServer _server = null!;

    private MetricsEndpoint()
    {
        foreach (var (deployment, code, perSecond) in Rates)
        {
            SetCounter($"http_requests_total{{namespace=\"prod\",deployment=\"{deployment}\",code=\"{code}\"}}", () => perSecond);
        }
    }

    /// <summary>host:port, as a Prometheus scrape target.</summary>
    public string Address => $"{_server.Url.Host}:{_server.Port}";

    public static async Task<MetricsEndpoint> StartAsync()
    {
        var endpoint = new MetricsEndpoint();
        endpoint._server = await LoopbackServer.StartAsync(app => app.MapGet("/metrics", endpoint.WriteMetrics));
        return endpoint;
    }

    /// <summary>Serves <paramref name="series"/> (e.g. <c>flag_error_ratio{flag="checkout-v2"}</c>) at <paramref name="value"/> from the next scrape on.</summary>
    public void SetGauge(string series, double value) => _gauges[series] = value;

    /// <summary>
    /// Serves counter <paramref name="series"/> (an <c>http_requests_total{...}</c>), from 0 now, growing by
    /// <paramref name="perSecond"/> per second, which is asked again at every scrape (so a rate that follows something
    /// else, e.g. the image a deployment runs, changes from the next scrape on).
    /// </summary>
    public void SetCounter(string series, Func<double> perSecond)
    {
        lock (_gate)
        {
            _counters.RemoveAll(c => c.Series == series);
            _counters.Add(new MetricsCounter(series, perSecond, TimeProvider.System.GetUtcNow()));
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    // Each counter grows by its rate × the time since the last scrape, one instant for all series of a scrape, so
    // rate() ratios come out exact. Each sample carries that instant as its timestamp: Prometheus then sees the counter
    // grow at exactly its rate even when a loaded machine serves a scrape late (it would otherwise stamp the sample
    // with the scrape's scheduled time).
    private IResult WriteMetrics()
    {
        var now = TimeProvider.System.GetUtcNow();
        var timestamp = now.ToUnixTimeMilliseconds();
        var text = new StringBuilder("# TYPE http_requests_total counter\n");
        lock (_gate)
        {
            foreach (var counter in _counters)
            {
                text.Append(CultureInfo.InvariantCulture, $"{counter.Series} {counter.AdvanceTo(now):R} {timestamp}\n");
            }
        }

        foreach (var (series, value) in _gauges)
        {
            text.Append(CultureInfo.InvariantCulture, $"{series} {value:R} {timestamp}\n");
        }

        return Results.Text(text.ToString(), "text/plain; version=0.0.4");
    }
}
