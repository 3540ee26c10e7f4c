using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Watchdog.TestSupport;

/// <summary>
/// Passes a client's requests on to a real server (the simulator on loopback) and records them; a test may answer a
/// request itself (<see cref="Answer"/>), run something first (<see cref="Before"/>: a concurrent writer), or let the
/// server apply a request and answer 503 instead of its answer (<see cref="LoseAnswer"/>).
/// </summary>
internal sealed class InterceptingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentQueue<FakeApiRequest> _requests = new();

    public IReadOnlyList<FakeApiRequest> Requests => [.. _requests];

    public IEnumerable<FakeApiRequest> Patches => Requests.Where(r => r.Method == "PATCH");

    public Func<FakeApiRequest, (int Status, string Body)?>? Answer { get; set; }

    public Func<FakeApiRequest, Task>? Before { get; set; }

    public Func<FakeApiRequest, bool>? LoseAnswer { get; set; }

    /// <summary>Runs <paramref name="writer"/> once, just before the first PATCH goes out (another writer between a read and a write).</summary>
    public static InterceptingHandler BeforeFirstPatch(Func<Task> writer)
    {
        var patches = 0;
        return new InterceptingHandler
        {
            Before = async request =>
            {
                if (request.Method == "PATCH" && Interlocked.Increment(ref patches) == 1)
                {
                    await writer();
                }
            },
        };
    }

    /// <summary>A handler that answers every POST of an Event with 403, as an API server does when RBAC does not allow it.</summary>
    public static InterceptingHandler RefusingEvents()
    {
        var handler = new InterceptingHandler();
        handler.RefuseEvents();
        return handler;
    }

    /// <summary>Answers every POST of an Event with <paramref name="status"/> instead of forwarding it.</summary>
    public void RefuseEvents(int status = 403) => Answer = request =>
        request.Method == "POST" && request.Path.EndsWith("/events", StringComparison.Ordinal)
            ? (status, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"events is forbidden: User \\\"system:serviceaccount:default:watchdog\\\" cannot create resource \\\"events\\\" in API group \\\"\\\" in the namespace \\\"default\\\"\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"events\"},\"code\":" + status + "}")
            : null;

    /// <summary>Lets the server apply the next PATCH, then answers 503 instead of its answer.</summary>
    public void LoseNextPatchAnswer()
    {
        var lost = 0;
        LoseAnswer = request => request.Method == "PATCH" && Interlocked.Exchange(ref lost, 1) == 0;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new FakeApiRequest(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            request.RequestUri.Query,
            request.Content?.Headers.ContentType?.ToString(),
            request.Headers.Authorization?.ToString(),
            body);
        _requests.Enqueue(recorded);
        if (Before is { } before)
        {
            await before(recorded);
        }

        if (Answer?.Invoke(recorded) is { } answer)
        {
            return Respond(answer.Status, answer.Body);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (LoseAnswer?.Invoke(recorded) == true)
        {
            response.Dispose();
            return Respond(503, """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the answer was lost","reason":"ServiceUnavailable","code":503}""");
        }

        return response;
    }

    private static HttpResponseMessage Respond(int status, string body) => new((HttpStatusCode)status)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };
}
