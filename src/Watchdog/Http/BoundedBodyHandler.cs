namespace Watchdog.Http;

/// <summary>
/// Reads each answer's body (<see cref="ResponseBody"/>, never past the limit) before the answer leaves the handler
/// chain. Placed inside a resilience handler, the attempt timeout then bounds the body too (a server that sends its
/// headers and then dribbles or hangs is one timed-out attempt), and a connection that breaks mid-body is an attempt
/// the retry sees, as it was when the client read the body within its own pipeline.
/// </summary>
/// <param name="limit">Bytes read at most.</param>
/// <param name="refusalsOnly">Leave a 2xx answer's body unread (a receiver's acknowledgement says nothing more).</param>
internal sealed class BoundedBodyHandler(long limit, bool refusalsOnly = false) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<ResponseBody> BodyKey = new("watchdog.response-body");

    /// <summary>The body this handler read for <paramref name="response"/>; null for an answer whose body it left unread.</summary>
    public static ResponseBody? BodyOf(HttpResponseMessage response) =>
        response?.RequestMessage is { } request && request.Options.TryGetValue(BodyKey, out var body) ? body : null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken);
        if (refusalsOnly && response.IsSuccessStatusCode)
        {
            return response;
        }

        try
        {
            // On the request, not the response: a retried request carries the body of its latest attempt.
            request.Options.Set(BodyKey, await ResponseBody.ReadAsync(response.Content, limit, cancellationToken));
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
