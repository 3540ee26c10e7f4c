using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// A tiny application for Prometheus to scrape (Kestrel on 127.0.0.1): <c>http_requests_total</c> counters of two
/// deployments that grow steadily, at rates chosen so that checkout fails 5 % of requests and payments 20 %.
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

    private readonly WebApplication _app;
    private readonly DateTimeOffset _started = TimeProvider.System.GetUtcNow();

    private MetricsEndpoint()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/metrics", WriteMetrics);
    }

    /// <summary>host:port, as a Prometheus scrape target.</summary>
    public string Address { get; private set; } = "";

    public static async Task<MetricsEndpoint> StartAsync()
    {
        var endpoint = new MetricsEndpoint();
        await endpoint._app.StartAsync();
        var address = new Uri(endpoint._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        endpoint.Address = $"{address.Host}:{address.Port}";
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    // Counters are rate × elapsed time, one instant for all series of a scrape, so rate() ratios come out exact. Each
    // sample carries that instant as its timestamp: Prometheus then sees the counter grow at exactly its rate even when
    // a loaded machine serves a scrape late (it would otherwise stamp the sample with the scrape's scheduled time).
    private IResult WriteMetrics()
    {
        var now = TimeProvider.System.GetUtcNow();
        var seconds = (now - _started).TotalSeconds;
        var timestamp = now.ToUnixTimeMilliseconds();
        var text = new StringBuilder("# TYPE http_requests_total counter\n");
        foreach (var (deployment, code, perSecond) in Rates)
        {
            text.Append(CultureInfo.InvariantCulture, $"http_requests_total{{namespace=\"prod\",deployment=\"{deployment}\",code=\"{code}\"}} {perSecond * seconds:R} {timestamp}\n");
        }

        return Results.Text(text.ToString(), "text/plain; version=0.0.4");
    }
}
