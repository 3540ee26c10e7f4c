using System.Text.Json;

namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>
/// What <see cref="FaultingKubernetesProxy"/> does to the requests it matches (method and exact path, e.g. PATCH
/// <c>/apis/apps/v1/namespaces/prod/deployments/web</c>), for the first <see cref="Times"/> of them: wait, run
/// something first (another writer), then answer in the API server's place or pass the request on.
/// </summary>
/// <param name="Method">GET, PATCH, POST, ...; <c>*</c> for any.</param>
/// <param name="Path">The request path without its query.</param>
public sealed record KubernetesFault(string Method, string Path)
{
    /// <summary>Answered instead of the API server when set; otherwise the request is passed on.</summary>
    public int? Status { get; init; }

    public string ContentType { get; init; } = "application/json";

    public string Body { get; init; } = "";

    /// <summary>Waited first; <see cref="Timeout.InfiniteTimeSpan"/> holds the request until the caller hangs up (it is never passed on).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Run after the delay and before passing the request on, e.g. <c>kubectl set image</c> by another writer.</summary>
    public Func<Task>? Before { get; init; }

    /// <summary>The connection is reset instead of answered (after the delay): the API server looks unreachable.</summary>
    public bool ResetConnection { get; init; }

    /// <summary>How many matching requests it applies to; every one by default.</summary>
    public int Times { get; init; } = int.MaxValue;

    /// <summary>The API server's Status body for <paramref name="status"/> (404 NotFound, 409 Conflict, 422 Invalid, 403 Forbidden, 500 InternalError).</summary>
    public static KubernetesFault Answer(string method, string path, int status, string message)
    {
        var reason = status switch
        {
            403 => "Forbidden",
            404 => "NotFound",
            409 => "Conflict",
            422 => "Invalid",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            _ => "InternalError",
        };
        var body = JsonSerializer.Serialize(new { kind = "Status", apiVersion = "v1", metadata = new { }, status = "Failure", message, reason, code = status });
        return new KubernetesFault(method, path) { Status = status, Body = body };
    }

    /// <summary>A page from something in front of the API server (a proxy, a captive portal), not a Kubernetes answer.</summary>
    public static KubernetesFault Html(string method, string path, int status = 200) => new(method, path)
    {
        Status = status,
        ContentType = "text/html",
        Body = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in to continue</h1></body></html>",
    };

    /// <summary>The connection is reset without an answer, as by a dying API server or a load balancer.</summary>
    public static KubernetesFault ConnectionReset(string method, string path) => new(method, path) { ResetConnection = true };

    /// <summary>Passed on only after <paramref name="delay"/> (infinite: never; the caller's timeout or death ends it).</summary>
    public static KubernetesFault Delayed(string method, string path, TimeSpan delay) => new(method, path) { Delay = delay };

    /// <summary>Runs <paramref name="before"/> and then passes the request on.</summary>
    public static KubernetesFault After(string method, string path, Func<Task> before) => new(method, path) { Before = before };

    public bool Matches(string method, string path) =>
        (Method == "*" || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) && string.Equals(Path, path, StringComparison.Ordinal);
}
