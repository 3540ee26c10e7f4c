using System.Net;
using System.Text;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// Steps in on a client's requests: acts before one goes out (a concurrent writer between a step's read and its
/// write), or answers it itself (a refused Event). A null answer lets the request through to the server.
/// </summary>
internal sealed class InterceptingHandler(Func<HttpRequestMessage, Task<HttpResponseMessage?>> intercept) : DelegatingHandler
{
    /// <summary>Runs <paramref name="writer"/> once, just before the first PATCH goes out.</summary>
    public static InterceptingHandler BeforeFirstPatch(Func<Task> writer)
    {
        var patches = 0;
        return new InterceptingHandler(async request =>
        {
            if (request.Method == HttpMethod.Patch && Interlocked.Increment(ref patches) == 1)
            {
                await writer();
            }

            return null;
        });
    }

    /// <summary>Answers every POST of an Event with 403 Forbidden, as an API server does when RBAC does not allow it.</summary>
    public static InterceptingHandler RefusingEvents() => new(request => Task.FromResult(
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.Forbidden)
            {
                Content = new StringContent(
                    """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"events is forbidden: User \"system:serviceaccount:default:watchdog\" cannot create resource \"events\" in API group \"\" in the namespace \"default\"","reason":"Forbidden","details":{"kind":"events"},"code":403}""",
                    Encoding.UTF8,
                    "application/json"),
            }
            : null));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await intercept(request) ?? await base.SendAsync(request, cancellationToken);
}
