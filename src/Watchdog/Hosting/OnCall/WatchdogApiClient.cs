using System.Net.Http.Headers;
using System.Text;

namespace Watchdog.Hosting.OnCall;

/// <summary>Calls the daemon's HTTP API for the CLI verbs; every outcome, not reaching it included, is an <see cref="ApiAnswer"/>.</summary>
internal sealed class WatchdogApiClient(OnCallServer server, HttpMessageHandler? handler = null) : IDisposable
{
    /// <summary>How long one call may take; a daemon that does not answer within it is reported as not answering.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler(), disposeHandler: true)
    {
        BaseAddress = server.BaseAddress,
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    public Task<ApiAnswer> GetAsync(string path, string? accept, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, accept, body: null, cancellationToken);

    public Task<ApiAnswer> PostJsonAsync(string path, string? json, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, accept: null, json, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string? accept, string? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (server.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            using var response = await _http.SendAsync(request, deadline.Token);
            return new ApiAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(deadline.Token));
        }
        catch (HttpRequestException exception)
        {
            // The message names the address and the socket's error; the request's headers (the token) are never in it.
            return ApiAnswer.NotReached($"cannot reach {server.BaseAddress}: {exception.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiAnswer.NotReached($"no answer from {server.BaseAddress} within {Timeout.TotalSeconds:0}s");
        }
    }
}
