using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>
/// A misbehaving Prometheus on 127.0.0.1: <c>/api/v1/query</c> (GET or form POST) answers each query with the
/// <see cref="PrometheusAnswer"/> of the first rule whose key the query contains (e.g. <c>target="html"</c>), else
/// <see cref="Default"/>. Every query is recorded. <see cref="StopAsync"/> closes the port: Prometheus is down.
/// </summary>
public sealed class FakePrometheus : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Contains, PrometheusAnswer Answer)> _rules = new();
    private readonly ConcurrentQueue<string> _queries = new();
    private LoopbackServer _server = null!;

    private FakePrometheus()
    {
    }

    /// <summary>The base URL, as <c>sources.prometheus.url</c>.</summary>
    public Uri Url => _server.Url;

    /// <summary>What a query no rule matches gets; a healthy 0 by default.</summary>
    public PrometheusAnswer Default { get; set; } = PrometheusAnswer.Vector(0);

    public IReadOnlyList<string> Queries => [.. _queries];

    public static async Task<FakePrometheus> StartAsync()
    {
        var fake = new FakePrometheus();
        fake._server = await LoopbackServer.StartAsync(fake.AnswerAsync);
        return fake;
    }

    /// <summary>Queries containing <paramref name="contains"/> get <paramref name="answer"/> (earlier rules win).</summary>
    public FakePrometheus Answer(string contains, PrometheusAnswer answer)
    {
        _rules.Enqueue((contains, answer));
        return this;
    }

    public int QueriesContaining(string text) => _queries.Count(q => q.Contains(text, StringComparison.Ordinal));

    /// <summary>Prometheus goes down: the port is closed and connections are refused.</summary>
    public Task StopAsync() => _server.StopAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task AnswerAsync(HttpContext http)
    {
        if (http.Request.Path != "/api/v1/query")
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsync("404 page not found", http.RequestAborted);
            return;
        }

        var query = http.Request.HasFormContentType
            ? (await http.Request.ReadFormAsync(http.RequestAborted))["query"].ToString()
            : http.Request.Query["query"].ToString();
        _queries.Enqueue(query);
        var answer = _rules.FirstOrDefault(rule => query.Contains(rule.Contains, StringComparison.Ordinal)).Answer ?? Default;
        try
        {
            await Task.Delay(answer.Delay, http.RequestAborted);
            http.Response.StatusCode = answer.Status;
            http.Response.ContentType = answer.ContentType;
            if (answer.StreamedBytes is { } total)
            {
                await StreamAsync(http.Response, answer, total, http.RequestAborted);
            }
            else
            {
                await http.Response.WriteAsync(answer.Body, http.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up (its timeout): nobody is left to answer.
        }
    }

    private static async Task StreamAsync(HttpResponse response, PrometheusAnswer answer, long total, CancellationToken cancellationToken)
    {
        const int Chunks = 100;
        var prefix = Encoding.UTF8.GetBytes(answer.Body);
        await response.Body.WriteAsync(prefix, cancellationToken);
        var chunk = new byte[Math.Max(1, (total - prefix.Length) / Chunks)];
        Array.Fill(chunk, (byte)' ');
        for (long written = prefix.Length; written < total; written += chunk.Length)
        {
            await response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, total - written)), cancellationToken);
            await Task.Delay(answer.StreamFor / Chunks, cancellationToken);
        }
    }
}
