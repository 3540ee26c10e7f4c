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

        // Each attempt's time limit is the client's own (on the injected clock), so HttpClient's stays out of the way.
        // No request logging: one line per query per cycle is noise, and failures are logged by the client.
        services.AddHttpClient(PrometheusClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.TryAddSingleton(TimeProvider.System);
        var settings = resilience ?? new PrometheusResilienceOptions();
        services.AddSingleton(provider => new PrometheusClient(
            prometheus,
            settings,
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<PrometheusClient>>()));
        services.AddSingleton<ISignalSource>(provider => new PrometheusSignalSource(
            options.Signals,
            provider.GetRequiredService<PrometheusClient>(),
            settings,
            provider.GetRequiredService<ILogger<PrometheusSignalSource>>()));
        return services;
    }
}
