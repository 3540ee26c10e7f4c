using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Configuration;
using Watchdog.Signals.Prometheus;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>Prometheus clients pointed at a stub, with retries quick enough for unit tests unless a test says otherwise.</summary>
internal static class PrometheusTestClients
{
    private static readonly SingleHandlerHttpClientFactory Http = new();

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
        return new PrometheusClient(
            configure?.Invoke(options) ?? options,
            resilience ?? Quick,
            Http,
            time ?? TimeProvider.System,
            logger ?? NullLogger<PrometheusClient>.Instance);
    }
}
