namespace Watchdog.Fencing;

/// <summary>
/// In the HTTP pipeline of the clients that change the world (Kubernetes, flag services): a request other than a read,
/// sent from a term that is over, never leaves the process. Reads pass, so a deposed replica can still look.
/// </summary>
internal sealed class FencingHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            WriteFence.ThrowIfDeposed($"{request.Method} {request.RequestUri?.AbsolutePath}");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
