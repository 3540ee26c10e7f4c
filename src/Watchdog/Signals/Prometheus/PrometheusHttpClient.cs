using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Signals.Prometheus;

/// <summary>
/// The named client <see cref="PrometheusClient"/> sends through: the library's resilience handler with a retry
/// (exponential backoff), a circuit breaker so that a dead Prometheus costs one fast error per read, and each
/// attempt's timeout, on the host's <see cref="TimeProvider"/>; inside it, the body read up to the limit. The source's
/// <see cref="PrometheusSourceOptions"/> and the <see cref="PrometheusResilienceOptions"/> come from the container,
/// read when the client is first made.
/// </summary>
internal static class PrometheusHttpClient
{
    public static IHttpClientBuilder Add(IServiceCollection services)
    {
        // Each attempt's time limit is the resilience handler's (on the injected clock), so HttpClient's stays out of the way.
        // No request logging: one line per query per cycle is noise, and failures are logged by the handler's callbacks.
        var client = services.AddHttpClient(PrometheusClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.TryAddSingleton<PrometheusOutage>();
        client.AddResilienceHandler("prometheus", (builder, context) =>
        {
            var provider = context.ServiceProvider;
            builder.TimeProvider = provider.GetRequiredService<TimeProvider>();
            Configure(
                builder,
                provider.GetRequiredService<PrometheusSourceOptions>(),
                provider.GetRequiredService<PrometheusResilienceOptions>(),
                provider.GetRequiredService<PrometheusOutage>(),
                provider.GetRequiredService<ILogger<PrometheusClient>>());
        });

        // Added after the resilience handler, so inside it: every attempt is recorded, and reads its own body within
        // its own timeout.
        client.AddHttpMessageHandler(provider => new PrometheusAttemptRecorder(provider.GetRequiredService<PrometheusOutage>(), provider.GetRequiredService<PrometheusSourceOptions>()));
        client.AddHttpMessageHandler(provider => new BoundedBodyHandler(provider.GetRequiredService<PrometheusSourceOptions>().MaxResponseBytes));
        return client;
    }

    private static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> builder,
        PrometheusSourceOptions source,
        PrometheusResilienceOptions resilience,
        PrometheusOutage outage,
        ILogger logger)
    {
        if (resilience.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = resilience.MaxRetries,
                Delay = resilience.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,

                // The delays are the documented 200 ms, then 400 ms (tests pin them); a jittered series would not be.
                UseJitter = false,

                // Not the library's default: a Retry-After of minutes would outlast the watch cycle's deadline.
                ShouldRetryAfterHeader = false,

                // Connection errors, timeouts, 429 and 5xx may pass; 400 and 422 are the query's fault and are never retried.
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    PrometheusLog.Retrying(logger, args.AttemptNumber + 1, Describe(args.Outcome, source), DurationText.Human(args.RetryDelay));
                    return default;
                },
            });
        }

        // Inside the retries, so that every attempt counts towards opening the circuit and an open circuit
        // ends the retries at once (BrokenCircuitException is not a failure the retry handles).
        // An attempt the watch cycle's deadline cancels is a failure too: Polly counts an outcome it is not told to
        // handle as a success, so a Prometheus slower than the deadline kept the circuit closed for ever, and every
        // cycle waited out the whole deadline.
        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 1.0,
            MinimumThroughput = resilience.FailuresToOpen,
            SamplingDuration = resilience.SamplingDuration,
            BreakDuration = resilience.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is OperationCanceledException || IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                PrometheusLog.CircuitOpened(logger, Redaction.Url(source.Url), Describe(args.Outcome, source), DurationText.Human(args.BreakDuration));
                return default;
            },
            OnClosed = _ =>
            {
                PrometheusLog.CircuitClosed(logger, Redaction.Url(source.Url));
                return default;
            },
        });

        // Innermost, so that the timeout bounds each attempt rather than the whole series.
        builder.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Timeout = source.Timeout,
            OnTimeout = _ =>
            {
                outage.Remember(PrometheusClient.Outcome(new TimeoutRejectedException(), source));
                return default;
            },
        });
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException or HttpRequestException or IOException } => true,
        { Result: { } response } => BoundedBodyHandler.BodyOf(response) is not { IsTooLarge: true }
            && (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500),
        _ => false,
    };

    private static string Describe(Outcome<HttpResponseMessage> outcome, PrometheusSourceOptions source) => outcome switch
    {
        { Result: { } response } => PrometheusClient.Outcome(response, source).Error ?? "unknown",
        { Exception: OperationCanceledException } => "no answer from Prometheus before the watch cycle's deadline",
        { Exception: { } exception } => PrometheusClient.Outcome(exception, source).Error ?? "unknown",
        _ => "unknown",
    };
}
