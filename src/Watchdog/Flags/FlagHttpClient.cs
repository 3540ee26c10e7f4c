using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Fencing;

namespace Watchdog.Flags;

/// <summary>
/// One named client per configured provider: the library's resilience handler with a retry for reads only (a write
/// that timed out may have been applied; sending it again is the action's decision, not the transport's) and each
/// attempt's timeout on the host's <see cref="TimeProvider"/>; inside it, every answer's body read up to the
/// provider's limit.
/// </summary>
internal static class FlagHttpClient
{
    /// <summary>Retries of a read after a timeout, a broken connection, 429 or 5xx; 200 ms, then 400 ms.</summary>
    public const int ReadRetries = 2;

    public static string NameOf(FlagProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"watchdog-flags-{options.Name}";
    }

    public static IHttpClientBuilder Add(IServiceCollection services, FlagProviderOptions options)
    {
        // No request logging: the default handlers log every request, and the failures are the provider's exceptions.
        var client = services.AddHttpClient(NameOf(options), http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        client.AddResilienceHandler("flags", (builder, context) =>
        {
            builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = ReadRetries,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,

                // A Retry-After of minutes would hold a rollback; the action's own steps wait where waiting is meant.
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.GetRequestMessage()?.Method == HttpMethod.Get && IsTransient(args.Outcome)),
            });

            // Inside the retry, so the timeout bounds each attempt, body included (BoundedBodyHandler is inside it).
            builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.Timeout });
        });
        client.AddHttpMessageHandler(() => new BoundedBodyHandler(options.MaxResponseBytes));
        // Per attempt: a deposed leader's flag step changes no flag (reads pass).
        client.AddHttpMessageHandler(() => new FencingHandler());
        return client;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException or HttpRequestException or IOException } => true,
        { Result: { } response } => BoundedBodyHandler.BodyOf(response) is not { IsTooLarge: true }
            && (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500),
        _ => false,
    };
}
