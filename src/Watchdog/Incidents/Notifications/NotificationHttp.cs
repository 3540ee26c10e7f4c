using System.Globalization;
using System.Net;
using System.Text;
using Polly.Timeout;
using Watchdog.Http;

namespace Watchdog.Incidents.Notifications;

/// <summary>
/// The one HTTP exchange both channel kinds make: POST JSON with the event key as Idempotency-Key, through the named
/// client's retries and attempt timeout (<see cref="NotificationHttpClient"/>), the answer as a value.
/// </summary>
internal static class NotificationHttp
{
    /// <summary>The <see cref="IHttpClientFactory"/> client name; registered without request logging (see the DI extension).</summary>
    public const string ClientName = "watchdog-notifications";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The event key, for the retry's log line.</summary>
    public static readonly HttpRequestOptionsKey<string> EventKeyOption = new("watchdog.notification.event-key");

    /// <summary>The channel's name, for the retry's log line.</summary>
    public static readonly HttpRequestOptionsKey<string> ChannelOption = new("watchdog.notification.channel");

    /// <summary>Requests made so far, set by the retry before each further attempt.</summary>
    public static readonly HttpRequestOptionsKey<int> AttemptsOption = new("watchdog.notification.attempts");

    // Only an excerpt of a refusal is kept; a receiver's answer is never read past this.
    public const long MaxAnswerBytes = 64 * 1024;

    private const int MaxErrorBodyChars = 200;

    public static async Task<DeliveryResult> PostJsonAsync(
        HttpClient client, Uri url, string json, string eventKey, string channel, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, eventKey);
        request.Options.Set(EventKeyOption, eventKey);
        request.Options.Set(ChannelOption, channel);
        DeliveryResult result;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            result = Outcome(response);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutRejectedException)
        {
            result = Outcome(e);
        }

        return result with { Attempts = request.Options.TryGetValue(AttemptsOption, out var attempts) ? attempts : 1 };
    }

    /// <summary>What one answer means; a refusal's body was read (bounded) by <see cref="BoundedBodyHandler"/>.</summary>
    public static DeliveryResult Outcome(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return DeliveryResult.Success(status);
        }

        var answer = BoundedBodyHandler.BodyOf(response);
        var body = answer?.Text ?? "";
        var snippet = body.Length > MaxErrorBodyChars ? body[..MaxErrorBodyChars] + "…" : body;
        if (answer is { IsTooLarge: true } && snippet.Length == 0)
        {
            snippet = $"({answer.Value.TooLargeError})";
        }

        var error = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}") + (snippet.Length > 0 ? $": {snippet.Trim()}" : "");
        return DeliveryResult.Failure(error, status, IsTransient(response.StatusCode));
    }

    /// <summary>What an attempt that ended without an answer means: all of these may pass.</summary>
    public static DeliveryResult Outcome(Exception exception) => exception switch
    {
        TimeoutRejectedException timeout => DeliveryResult.Failure($"no answer within {MessageFormat.Duration(timeout.Timeout)}", null, transient: true),

        // The refusal's body broke off: the receiver is in trouble, worth another try.
        IOException => DeliveryResult.Failure($"the answer broke off: {exception.Message}", null, transient: true),

        // No answer at all (refused, reset, DNS): the receiver may be restarting, so worth another try.
        // The message names host and port at most, never the path, which is where a Slack webhook keeps its secret.
        _ => DeliveryResult.Failure(exception.Message, null, transient: true),
    };

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
