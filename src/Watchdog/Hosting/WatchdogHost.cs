using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Watchdog.Configuration;
using Watchdog.Signals;

namespace Watchdog.Hosting;

/// <summary>Builds the daemon: Kestrel with the probe endpoints, the options, logging and the watch loop.</summary>
internal static class WatchdogHost
{
    private const string UtcTimestamp = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    /// <param name="config">A loaded configuration; the daemon never starts on an invalid one.</param>
    /// <param name="args">Arguments for the generic host's own configuration.</param>
    /// <param name="configureServices">Runs after Watchdog's registrations, so tests can add readers or replace the clock.</param>
    public static WebApplication Build(ConfigLoadResult config, string[] args, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.IsValid || config.Options is not { } options)
        {
            throw new ArgumentException("The daemon starts only on a valid configuration.", nameof(config));
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(WatchdogHost).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls(options.Http.Listen);
        ConfigureLogging(builder.Logging, options.Logging);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(config.Policies);
        services.AddSingleton(provider => new WatchCycle(
            options,
            config.Policies,
            provider.GetServices<ISignalReader>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<WatchCycle>>()));
        services.AddHostedService<WatchLoop>();
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (WatchCycle cycle) => cycle.IsReady
            ? Results.Json(new ReadinessReport("ready", null, cycle.CompletedCycles))
            : Results.Json(
                new ReadinessReport("not ready", "the watch loop has not completed its first cycle", cycle.CompletedCycles),
                statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LoggingOptions options)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(options.Level);

        // A line per HTTP request (probes every few seconds) would drown the decisions; keep warnings and errors.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (string.Equals(options.Format, "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = UtcTimestamp.TrimEnd();
            });
        }
        else
        {
            logging.AddSimpleConsole(text =>
            {
                text.SingleLine = true;
                text.UseUtcTimestamp = true;
                text.TimestampFormat = UtcTimestamp;
            });
        }
    }
}
