using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchdog.Configuration;

namespace Watchdog.Signals.Health;

internal static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HealthProbeSource"/> as an <see cref="ISignalSource"/> and its HTTP client. The host must
    /// also register a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddHealthProbes(this IServiceCollection services, WatchdogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Each endpoint has its own timeout; the client's own 100 s default would only cut the long ones short.
        services.AddHttpClient(HealthProbeSource.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Endpoints behind a Service move between pods; a pooled connection must not pin a probe to an old one.
                PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            });
        services.TryAddSingleton(options);
        services.AddSingleton<HealthProbeSource>();
        services.AddSingleton<ISignalSource>(provider => provider.GetRequiredService<HealthProbeSource>());
        return services;
    }
}
