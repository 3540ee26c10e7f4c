using System.Globalization;
using System.Net;
using System.Text;
using Watchdog.Http;

namespace Watchdog.Incidents.Notifications;

/// <summary>The one HTTP exchange both channel kinds make: POST JSON with the event key as Idempotency-Key, the answer as a value.</summary>
internal static class NotificationHttp
{
    /// <summary>The <see cref="IHttpClientFactory"/> client name; registered without request logging (see the DI extension).</summary>
    public const string ClientName = "watchdog-notifications";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int MaxErrorBodyChars = 200;

    // Only an excerpt of a refusal is kept; a receiver's answer is never read past this.
    private const long MaxAnswerBytes = 64 * 1024;

    public static async Task<DeliveryResult> PostJsonAsync(HttpClient client, Uri url, string json, string eventKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, eventKey);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return DeliveryResult.Success(status);
            }

            var answer = await ResponseBody.ReadAsync(response.Content, MaxAnswerBytes, cancellationToken);
            var body = answer.Text;
            var snippet = body.Length > MaxErrorBodyChars ? body[..MaxErrorBodyChars] + "…" : body;
            if (answer.IsTooLarge && snippet.Length == 0)
            {
                snippet = $"({answer.TooLargeError})";
            }
            var error = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}") + (snippet.Length > 0 ? $": {snippet.Trim()}" : "");
            return DeliveryResult.Failure(error, status, IsTransient(response.StatusCode));
        }
        catch (HttpRequestException e)
        {
            // No answer at all (refused, reset, DNS): the receiver may be restarting, so worth another try.
            // The message names host and port at most, never the path, which is where a Slack webhook keeps its secret.
            return DeliveryResult.Failure(e.Message, null, transient: true);
        }
        catch (IOException e)
        {
            // The refusal's body broke off: the receiver is in trouble, worth another try.
            return DeliveryResult.Failure($"the answer broke off: {e.Message}", null, transient: true);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
