using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Telemetry;

/// <summary>
/// The one registration of Watchdog's telemetry: the instruments, and OpenTelemetry with its exporters. Swapping the
/// exporter touches only this file; the instruments are plain .NET meters.
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The .NET and library meters exported beside Watchdog's own: process, runtime, HTTP server and client, Npgsql.</summary>
    private static readonly string[] PlatformMeters =
    [
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "Npgsql",
    ];

    /// <summary>
    /// promtool rejects a name ending in <c>_count</c> on anything but a histogram or summary; these gauges of the
    /// runtime's would fail <c>promtool check metrics</c> for the whole output, so they are exported under names it accepts.
    /// </summary>
    private static readonly (string Name, string ExportedAs)[] Renamed =
    [
        ("dotnet.assembly.count", "dotnet.assemblies.loaded"),
        ("dotnet.process.cpu.count", "dotnet.process.cpus"),
        ("dotnet.timer.count", "dotnet.timers"),
        ("dotnet.thread_pool.thread.count", "dotnet.thread_pool.threads"),
    ];

    public static IServiceCollection AddWatchdogTelemetry(this IServiceCollection services, WatchdogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<FlagRolloutGauge>();
        services.AddSingleton<StoreGauges>();
        services.AddSingleton(provider => new WatchdogMetrics(
            provider.GetRequiredService<IMeterFactory>(),
            provider.GetRequiredService<FlagRolloutGauge>(),
            provider.GetRequiredService<StoreGauges>(),
            Version,
            SignalThresholds.Of(options, provider.GetRequiredService<IReadOnlyDictionary<string, CompiledPolicy>>())));
        services.AddHostedService<StoreGaugeSampler>();
        services.AddOpenTelemetry().WithMetrics(AddWatchdogMetrics);
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c>: the Prometheus text format, or OpenMetrics when the scraper asks for it.</summary>
    public static IEndpointRouteBuilder MapWatchdogTelemetry(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>The metrics half of the registration; internal so the scrape benchmark exports exactly what the daemon does.</summary>
    internal static void AddWatchdogMetrics(MeterProviderBuilder metrics)
    {
        metrics.AddMeter(WatchdogMetrics.MeterName).AddMeter(PlatformMeters);

        foreach (var (name, exportedAs) in Renamed)
        {
            metrics.AddView(name, new MetricStreamConfiguration { Name = exportedAs });
        }

        metrics.AddPrometheusExporter();
    }

    // The build_info label: the informational version (with the commit when the build stamps one), one per build.
    private static string Version =>
        typeof(WatchdogMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(WatchdogMetrics).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
