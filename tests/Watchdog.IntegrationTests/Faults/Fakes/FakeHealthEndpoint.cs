using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>
/// Misbehaving health endpoints on one loopback server: each path answers its own <see cref="HealthAnswer"/>
/// (healthy, 500, the wrong body, slow, hanging), changeable while the daemon probes. <see cref="RefusedUrl"/> is an
/// endpoint nobody listens on. Every probe is counted per path.
/// </summary>
public sealed class FakeHealthEndpoint : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, HealthAnswer> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _probes = new(StringComparer.Ordinal);
    private LoopbackServer _server = null!;

    private FakeHealthEndpoint()
    {
    }

    public static async Task<FakeHealthEndpoint> StartAsync()
    {
        var fake = new FakeHealthEndpoint();
        fake._server = await LoopbackServer.StartAsync(fake.AnswerAsync);
        return fake;
    }

    /// <summary>A URL on 127.0.0.1 where nothing listens: connecting is refused.</summary>
    public static Uri RefusedUrl() => new($"http://127.0.0.1:{LoopbackPorts.Free()}/healthz");

    /// <summary>The URL of an endpoint <paramref name="name"/> that answers <paramref name="answer"/> (until changed).</summary>
    public Uri Endpoint(string name, HealthAnswer answer)
    {
        _answers[name] = answer;
        return new Uri(_server.Url, name);
    }

    public void Change(string name, HealthAnswer answer) => _answers[name] = answer;

    public int ProbesOf(string name) => _probes.GetValueOrDefault(name);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task AnswerAsync(HttpContext http)
    {
        var name = http.Request.Path.Value!.TrimStart('/');
        _probes.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (!_answers.TryGetValue(name, out var answer))
        {
            http.Response.StatusCode = 404;
            return;
        }

        try
        {
            await Task.Delay(answer.Delay, http.RequestAborted);
            http.Response.StatusCode = answer.Status;
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync(answer.Body, http.RequestAborted);
            if (answer.StreamedBytes is { } total)
            {
                await LargeBody.WriteAsync(http.Response, total - answer.Body.Length, http.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The probe gave up (its timeout or its size limit): nobody is left to answer.
        }
    }
}
