using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Health;

namespace Watchdog.Tests.Signals.Health;

/// <summary>A <see cref="HealthProbeSource"/> as the host wires it, with the catalogue the health tests use.</summary>
internal static class HealthSources
{
    public const string Ratio = "health_check_failure_ratio";

    public static WatchdogOptions Options() => new()
    {
        Signals = new Dictionary<string, SignalOptions>(StringComparer.Ordinal)
        {
            [Ratio] = new() { Name = Ratio, Source = "health" },
            ["other_health"] = new() { Name = "other_health", Source = "health" },
            ["error_rate"] = new() { Name = "error_rate", Source = "prometheus", Query = "x" },
        },
    };

    /// <param name="services">Changes to the registrations, e.g. another primary handler for the probes' client.</param>
    public static ServiceProvider Services(TimeProvider time, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection()
            .AddLogging(logging =>
            {
                logging.ClearProviders();
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                }
            })
            .AddSingleton(time)
            .AddSingleton(Options())
            .AddSignalSource<HealthProbeSource>();
        services?.Invoke(collection);
        return collection.BuildServiceProvider();
    }

    public static TargetOptions Target(params HealthCheckOptions[] endpoints) => new() { Name = "checkout", Policy = "p", Health = endpoints };

    public static async Task<SignalValue> ReadOneAsync(TargetOptions target)
    {
        using var services = Services(TimeProvider.System);
        var values = await services.GetRequiredService<HealthProbeSource>()
            .ReadAsync([new SignalRequest(target, Ratio)], CancellationToken.None);
        return values.ShouldHaveSingleItem();
    }
}
