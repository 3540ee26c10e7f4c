using System.Net;
using System.Text;

namespace Watchdog.Tests.Kubernetes;

/// <summary>
/// Sits between the Kubernetes client and a real server: records every request as sent, can act before one is
/// forwarded (a concurrent writer), and can lose the answer of the next PATCH after the server applied it.
/// </summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<FakeApiRequest> _sent = [];

    /// <summary>Runs before a request is forwarded.</summary>
    public Func<FakeApiRequest, Task>? BeforeSend { get; set; }

    /// <summary>Forwards the next PATCH, then answers 503 instead of the server's answer.</summary>
    public bool LoseNextPatchAnswer { get; set; }

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

        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method == HttpMethod.Patch && LoseNextPatchAnswer)
        {
            LoseNextPatchAnswer = false;
            response.Dispose();
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent(FakeKubernetesApi.StatusBody(503, "ServiceUnavailable", "the answer was lost"), Encoding.UTF8, "application/json"),
            };
        }

        return response;
    }
}
