using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Telemetry;

namespace Watchdog.Benchmarks;

/// <summary>
/// One scrape of <c>GET /metrics</c> over loopback HTTP, as Prometheus makes it, with the daemon's exporter setup and
/// every Watchdog family filled for <see cref="Targets"/> targets: two signals each (values), three evaluation
/// outcomes, a decision, an action with its duration, detection to action and time to rollback, a signal error, a flag.
/// The exporter's 300 ms response cache is off, so every scrape serializes anew.
/// </summary>
[MemoryDiagnoser]
public class MetricsScrapeBenchmarks : IDisposable
{
    private static readonly DateTimeOffset Breach = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private readonly Memory<byte> _buffer = new byte[64 * 1024];

    [Params(100, 1000)]
    public int Targets { get; set; }

    /// <summary>Lines of the last scrape (samples and comments), for the record.</summary>
    public int Lines { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<FlagRolloutGauge>();
        builder.Services.AddSingleton<StoreGauges>();
        builder.Services.AddSingleton(provider => new WatchdogMetrics(
            provider.GetRequiredService<IMeterFactory>(), provider.GetRequiredService<FlagRolloutGauge>(), provider.GetRequiredService<StoreGauges>(), "bench"));
        builder.Services.AddOpenTelemetry().WithMetrics(TelemetryServiceCollectionExtensions.AddWatchdogMetrics);
        builder.Services.Configure<PrometheusAspNetCoreOptions>(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
        _app = builder.Build();
        _app.MapWatchdogTelemetry();
        _app.StartAsync().GetAwaiter().GetResult();
        Fill(_app.Services.GetRequiredService<WatchdogMetrics>(), _app.Services.GetRequiredService<FlagRolloutGauge>());
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        var text = Scrape().GetAwaiter().GetResult();
        Lines = text.Split('\n').Length;
        Console.WriteLine($"// {Targets} targets: {Lines} lines, {text.Length / 1024} KiB per scrape");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _http.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    /// <summary>The body is read into one reused buffer and dropped, so the allocations counted are the server's and the request's, not a copy of the body.</summary>
    [Benchmark(Description = "GET /metrics")]
    public async Task<long> ScrapeMetrics()
    {
        using var response = await _http.GetAsync(new Uri("metrics", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        long bytes = 0;
        int read;
        while ((read = await body.ReadAsync(_buffer)) > 0)
        {
            bytes += read;
        }

        return bytes;
    }

    private Task<string> Scrape() => _http.GetStringAsync(new Uri("metrics", UriKind.Relative));

    private void Fill(WatchdogMetrics metrics, FlagRolloutGauge flags)
    {
        for (var i = 0; i < Targets; i++)
        {
            var target = $"target-{i:D4}";
            metrics.SignalRead(target, "error_rate", "prometheus", SignalValue.Of(0.01));
            metrics.SignalRead(target, "p99_latency", "prometheus", SignalValue.Of(0.2));
            metrics.SignalRead(target, "health", "health", SignalValue.Error("timed out"));
            metrics.Evaluated(target, Decision.NoneAt(Breach));
            metrics.Evaluated(target, Decision.InconclusiveAt(Breach));
            metrics.Evaluated(target, new Decision(Breach, DecisionAction.Rollback, Authority.Automatic, false, DecisionSource.Matrix, "errors-high", null, false));
            var incident = new Incident
            {
                Target = target,
                Policy = "errors",
                BreachStartedAt = Breach,
                DetectedAt = Breach.AddSeconds(30),
                ActionStartedAt = Breach.AddSeconds(31),
                TriggerRule = "errors-high",
                TriggerAction = DecisionAction.Rollback,
                TriggerAuthority = Authority.Automatic,
                TriggerSummary = "error_rate > 0.1",
            };
            var run = new ActionRun
            {
                IncidentId = 1,
                Target = target,
                Action = DecisionAction.Rollback,
                Authority = Authority.Automatic,
                Rule = "errors-high",
                CreatedAt = Breach.AddSeconds(31),
                StartedAt = Breach.AddSeconds(31),
            };
            metrics.RunEnded(incident, run, ActionResults.Succeeded, Breach.AddSeconds(90));
            flags.Set($"flag-{i:D4}", 50);
        }

        metrics.SourceAnswered("prometheus", up: true);
        metrics.SourceAnswered("health", up: false);
    }
}
