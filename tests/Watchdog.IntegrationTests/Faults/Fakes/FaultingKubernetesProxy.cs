using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>
/// A misbehaving Kubernetes API: a reverse proxy on 127.0.0.1 in front of the simulator (a daemon's kubeconfig points
/// here) that records every request, and applies <see cref="KubernetesFault"/>s to chosen ones: 403/404/409/422/500
/// Status answers, HTML pages, reset connections, delays, requests held until the caller dies, another writer's change just before a
/// request. What reached the simulator is told apart from what did not, so tests count the PATCHes it really saw.
/// </summary>
public sealed class FaultingKubernetesProxy : IAsyncDisposable
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Content-Length", "Content-Type",
    };

    private readonly HttpClient _upstream;
    private readonly List<(KubernetesFault Fault, int Used)> _faults = [];
    private readonly List<ProxiedRequest> _requests = [];
    private readonly Lock _gate = new();
    private LoopbackServer _server = null!;

    private FaultingKubernetesProxy(Uri upstream) =>
        _upstream = new HttpClient { BaseAddress = upstream, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The proxy's URL, as a kubeconfig's <c>server</c>.</summary>
    public Uri Url => _server.Url;

    public static async Task<FaultingKubernetesProxy> StartAsync(Uri apiServer)
    {
        var proxy = new FaultingKubernetesProxy(apiServer);
        proxy._server = await LoopbackServer.StartAsync(proxy.HandleAsync);
        return proxy;
    }

    /// <summary>From now on, requests matching <paramref name="fault"/> get it (the first matching fault wins).</summary>
    public void Inject(KubernetesFault fault)
    {
        lock (_gate)
        {
            _faults.Add((fault, 0));
        }
    }

    /// <summary>No more faults: every request is passed on.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    public IReadOnlyList<ProxiedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The requests of <paramref name="method"/> on <paramref name="path"/>; only those the simulator received when <paramref name="forwardedOnly"/>.</summary>
    public IReadOnlyList<ProxiedRequest> RequestsTo(string method, string path, bool forwardedOnly = false) =>
        [.. Requests.Where(r => r.Method == method && r.Path == path && (!forwardedOnly || r.Forwarded))];

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var method = http.Request.Method;
        var path = http.Request.Path.Value ?? "/";
        var query = http.Request.QueryString.Value ?? "";
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var fault = Claim(method, path);
        var index = Record(new ProxiedRequest(TimeProvider.System.GetUtcNow(), method, path, query, body, null, false));
        try
        {
            if (fault is not null)
            {
                await Task.Delay(fault.Delay, http.RequestAborted);
                if (fault.ResetConnection)
                {
                    http.Abort();
                    return;
                }

                if (fault.Before is { } before)
                {
                    await before();
                }

                if (fault.Status is { } status)
                {
                    http.Response.StatusCode = status;
                    http.Response.ContentType = fault.ContentType;
                    await http.Response.WriteAsync(fault.Body, http.RequestAborted);
                    Update(index, r => r with { Status = status });
                    return;
                }
            }

            await ForwardAsync(http, method, path + query, body, index);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The caller hung up (its timeout, or the daemon was killed): recorded with no answer.
        }
    }

    private async Task ForwardAsync(HttpContext http, string method, string pathAndQuery, string body, int index)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery);
        if (body.Length > 0 || http.Request.ContentType is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = http.Request.ContentType is { } type ? MediaTypeHeaderValue.Parse(type) : null;
        }

        foreach (var (name, values) in http.Request.Headers.Where(h => !NotForwarded.Contains(h.Key)))
        {
            request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        // Headers first, then the body as it comes: a watch streams for as long as the caller stays.
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        var status = (int)response.StatusCode;
        Update(index, r => r with { Forwarded = true, Status = status });
        http.Response.StatusCode = status;
        if (response.Content.Headers.ContentType is { } contentType)
        {
            http.Response.ContentType = contentType.ToString();
        }

        await using var stream = await response.Content.ReadAsStreamAsync(http.RequestAborted);
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private KubernetesFault? Claim(string method, string path)
    {
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var (fault, used) = _faults[i];
                if (used < fault.Times && fault.Matches(method, path))
                {
                    _faults[i] = (fault, used + 1);
                    return fault;
                }
            }

            return null;
        }
    }

    private int Record(ProxiedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
            return _requests.Count - 1;
        }
    }

    private void Update(int index, Func<ProxiedRequest, ProxiedRequest> change)
    {
        lock (_gate)
        {
            _requests[index] = change(_requests[index]);
        }
    }
}
