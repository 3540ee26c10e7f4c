using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Fencing;

namespace Watchdog.Incidents.Notifications;

/// <summary>
/// The named client both channel kinds post through: the library's resilience handler with the dispatch options'
/// retry (exponential backoff) and attempt timeout, on the host's <see cref="TimeProvider"/>; inside it, a refusal's
/// body read up to its limit. No circuit breaker: a receiver that stays down is the outbox's concern, deferred and
/// sent again in rounds, and every attempt must be one the outbox row can count.
/// </summary>
internal static class NotificationHttpClient
{
    public static IHttpClientBuilder Add(IServiceCollection services)
    {
        // No request logging: the default handlers log every request URL, and a Slack webhook's path is its secret.
        // Each attempt's time limit is the resilience handler's (on the injected clock), so the client's own stays out of the way.
        var client = services.AddHttpClient(NotificationHttp.ClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        client.AddResilienceHandler("notifications", (builder, context) =>
        {
            builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            Configure(
                builder,
                context.ServiceProvider.GetRequiredService<NotificationDispatchOptions>(),
                context.ServiceProvider.GetRequiredService<ILogger<NotificationDispatcher>>());
        });

        // Inside the resilience handler, so that a refusal's body is read within its attempt's timeout.
        client.AddHttpMessageHandler(() => new BoundedBodyHandler(NotificationHttp.MaxAnswerBytes, refusalsOnly: true));

        // Per attempt: a deposed leader's outbox sends nothing more (the new leader's outbox sends it).
        client.AddHttpMessageHandler(() => new FencingHandler());
        return client;
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, NotificationDispatchOptions options, ILogger logger)
    {
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,

                // The waits are the documented 1 s, 2 s, 4 s (tests pin them); a jittered series would not be.
                UseJitter = false,

                // Not the library's default: a receiver's Retry-After of minutes would hold every message behind it;
                // a receiver that needs that long is what redelivery is for.
                ShouldRetryAfterHeader = false,

                // Connection errors, timeouts, 408, 429 and 5xx may pass; any other refusal would only be refused again.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: TimeoutRejectedException or HttpRequestException or IOException } => true,
                    { Result: { } response } => NotificationHttp.Outcome(response) is { Delivered: false, Transient: true },
                    _ => false,
                }),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    var made = args.AttemptNumber + 1;
                    request?.Options.Set(NotificationHttp.AttemptsOption, made + 1);
                    var error = args.Outcome switch
                    {
                        { Result: { } response } => NotificationHttp.Outcome(response).Error,
                        { Exception: { } exception } => NotificationHttp.Outcome(exception).Error,
                        _ => null,
                    };
                    NotificationLog.Retrying(
                        logger,
                        request?.Options.TryGetValue(NotificationHttp.EventKeyOption, out var key) == true ? key : "",
                        request?.Options.TryGetValue(NotificationHttp.ChannelOption, out var channel) == true ? channel : "",
                        made,
                        error ?? "unknown",
                        MessageFormat.Duration(args.RetryDelay));
                    return default;
                },
            });
        }

        // Inside the retry, so the timeout bounds each attempt, not the whole series.
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.AttemptTimeout });
    }
}
