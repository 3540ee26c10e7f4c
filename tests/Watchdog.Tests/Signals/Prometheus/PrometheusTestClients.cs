using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Configuration;
using Watchdog.Signals.Prometheus;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>
/// Prometheus clients pointed at a stub, each over its own named client with the daemon's resilience handler (so each
/// has its own circuit), with retries quick enough for unit tests unless a test says otherwise.
/// </summary>
internal static class PrometheusTestClients
{
    /// <summary>The default retry count and breaker, with 1 ms between retries.</summary>
    public static PrometheusResilienceOptions Quick { get; } = new() { FirstRetryDelay = TimeSpan.FromMilliseconds(1) };

    public static PrometheusClient Create(
        Uri url,
        PrometheusResilienceOptions? resilience = null,
        TimeProvider? time = null,
        Func<PrometheusSourceOptions, PrometheusSourceOptions>? configure = null,
        ILogger<PrometheusClient>? logger = null)
    {
        var options = new PrometheusSourceOptions { Url = url, Timeout = TimeSpan.FromSeconds(5) };
        options = configure?.Invoke(options) ?? options;
        var services = new ServiceCollection()
            .AddSingleton(time ?? TimeProvider.System)
            .AddSingleton(logger ?? NullLogger<PrometheusClient>.Instance)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(options)
            .AddSingleton(resilience ?? Quick);
        PrometheusHttpClient.Add(services);

        // Not disposed: the clients live as long as the test process, like the shared handler they had before.
        var provider = services.BuildServiceProvider();
        return new PrometheusClient(options, provider.GetRequiredService<IHttpClientFactory>(), provider.GetRequiredService<PrometheusOutage>());
    }
}
