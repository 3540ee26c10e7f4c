using System.Net;
using System.Text;

namespace Watchdog.Tests.Kubernetes;

/// <summary>
/// Sits between the Kubernetes client and a real server: records every request as sent, can act before one is
/// forwarded (a concurrent writer), and can lose the answer of the next PATCH after the server applied it, or refuse Events.
/// </summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<FakeApiRequest> _sent = [];

    /// <summary>Runs before a request is forwarded.</summary>
    public Func<FakeApiRequest, Task>? BeforeSend { get; set; }

    /// <summary>Forwards the next PATCH, then answers 503 instead of the server's answer.</summary>
    public bool LoseNextPatchAnswer { get; set; }

    /// <summary>The answer to every POST of an Event (e.g. 403) instead of forwarding it.</summary>
    public int? EventStatus { get; set; }

    public IReadOnlyList<FakeApiRequest> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public IEnumerable<FakeApiRequest> Patches => Sent.Where(r => r.Method == "PATCH");

    public int Count
    {
        get
        {
            lock (_sent)
            {
                return _sent.Count;
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new FakeApiRequest(
            request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, request.Content?.Headers.ContentType?.MediaType, null, body);
        lock (_sent)
        {
            _sent.Add(recorded);
        }

        if (BeforeSend is { } hook)
        {
            await hook(recorded);
        }

        if (EventStatus is { } refused && request.Method == HttpMethod.Post && recorded.Path.EndsWith("/events", StringComparison.Ordinal))
        {
            return Answer((HttpStatusCode)refused, FakeKubernetesApi.StatusBody(refused, "Forbidden", "events are refused here"));
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method == HttpMethod.Patch && LoseNextPatchAnswer)
        {
            LoseNextPatchAnswer = false;
            response.Dispose();
            return Answer(HttpStatusCode.ServiceUnavailable, FakeKubernetesApi.StatusBody(503, "ServiceUnavailable", "the answer was lost"));
        }

        return response;
    }

    private static HttpResponseMessage Answer(HttpStatusCode code, string status) =>
        new(code) { Content = new StringContent(status, Encoding.UTF8, "application/json") };
}
