using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;

namespace Watchdog.Signals.Prometheus;

internal static class PrometheusServiceCollectionExtensions
{
    /// <summary>
    /// The Prometheus source as an <see cref="ISignalSource"/>, with its named HTTP client, when
    /// <c>sources.prometheus</c> is configured; otherwise nothing. Reads a bearer token file when the source is first resolved.
    /// </summary>
    /// <param name="resilience">Retries, circuit breaker and concurrency; the defaults when null.</param>
    public static IServiceCollection AddPrometheusSource(this IServiceCollection services, WatchdogOptions options, PrometheusResilienceOptions? resilience = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Sources.Prometheus is not { } prometheus)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        var settings = resilience ?? new PrometheusResilienceOptions();
        PrometheusHttpClient.Add(services, prometheus, settings);
        services.AddSingleton(provider => new PrometheusClient(
            prometheus,
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<PrometheusOutage>()));
        services.AddSingleton<ISignalSource>(provider => new PrometheusSignalSource(
            options.Signals,
            provider.GetRequiredService<PrometheusClient>(),
            settings,
            provider.GetRequiredService<ILogger<PrometheusSignalSource>>()));
        return services;
    }
}
