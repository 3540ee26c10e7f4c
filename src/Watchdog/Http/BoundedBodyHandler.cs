namespace Watchdog.Http;

/// <summary>
/// Reads each answer's body (<see cref="ResponseBody"/>, never past the limit) before the answer leaves the handler
/// chain. Placed inside a resilience handler, the attempt timeout then bounds the body too (a server that sends its
/// headers and then dribbles or hangs is one timed-out attempt), and a connection that breaks mid-body is an attempt
/// the retry sees, as it was when the client read the body within its own pipeline.
/// </summary>
internal sealed class BoundedBodyHandler(long limit) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<ResponseBody> BodyKey = new("watchdog.response-body");

    /// <summary>The body this handler read for <paramref name="response"/>; null for an answer that did not pass it.</summary>
    public static ResponseBody? BodyOf(HttpResponseMessage response) =>
        response?.RequestMessage is { } request && request.Options.TryGetValue(BodyKey, out var body) ? body : null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken);
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
