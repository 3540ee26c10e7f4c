using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) that plays Prometheus: it records every query and answers
/// with canned bodies, in turn (repeating the last) or computed from the query.
/// </summary>
public sealed class PrometheusStub : IAsyncDisposable
{
    private readonly ConcurrentQueue<StubQuery> _queries = new();
    private readonly Func<StubQuery, int, StubAnswer> _answer;
    private int _received;
    private int _inFlight;
    private int _maxInFlight;
    private LoopbackServer _server = null!;

    private PrometheusStub(Func<StubQuery, int, StubAnswer> answer) => _answer = answer;

    public Uri BaseUrl => _server.Url;

    public IReadOnlyList<StubQuery> Queries => [.. _queries];

    public int QueryCount => Volatile.Read(ref _received);

    /// <summary>The most queries the stub was answering at one moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>How long each answer waits before it is sent, so that concurrent queries overlap.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Answers the first query with <paramref name="answers"/>[0], the second with [1], ...; later ones with the last.</summary>
    public static Task<PrometheusStub> StartAsync(params StubAnswer[] answers) =>
        StartAsync((_, turn) => answers[Math.Min(turn, answers.Length - 1)]);

    public static Task<PrometheusStub> StartAsync(Func<StubQuery, StubAnswer> answer) => StartAsync((query, _) => answer(query));

    public static async Task<PrometheusStub> StartAsync(Func<StubQuery, int, StubAnswer> answer)
    {
        var stub = new PrometheusStub(answer);
        stub._server = await LoopbackServer.StartAsync(app => app.Run(stub.AnswerAsync));
        return stub;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        string? query = request.Query["query"], timeout = request.Query["timeout"];
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            query = form["query"];
            timeout = form["timeout"];
        }

        var received = new StubQuery(
            request.Method,
            request.Path.Value ?? "",
            query,
            timeout,
            request.ContentType,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        _queries.Enqueue(received);
        var turn = Interlocked.Increment(ref _received) - 1;

        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted);
            }

            var answer = _answer(received, turn);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            if (answer.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int location, int value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
