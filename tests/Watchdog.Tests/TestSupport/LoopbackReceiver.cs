using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Tests.TestSupport;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) that records every request and answers with scripted
/// answers in turn (a status, and a Retry-After header if asked), repeating the last; or never answers at all.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ReceiverAnswer[] _answers;
    private readonly bool _hang;
    private int _answered;
    private LoopbackServer _server = null!;

    private LoopbackReceiver(ReceiverAnswer[] answers, bool hang)
    {
        _answers = answers.Length == 0 ? [new ReceiverAnswer(200)] : answers;
        _hang = hang;
    }

    public Uri BaseUrl => _server.Url;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Answers the first request with <paramref name="statuses"/>[0], the second with [1], ...; later ones with the last.</summary>
    public static Task<LoopbackReceiver> StartAsync(params int[] statuses) =>
        StartScriptedAsync([.. statuses.Select(status => new ReceiverAnswer(status))]);

    /// <summary>Like <see cref="StartAsync(int[])"/>, with answers that may carry headers.</summary>
    public static async Task<LoopbackReceiver> StartScriptedAsync(params ReceiverAnswer[] answers)
    {
        var receiver = new LoopbackReceiver(answers, hang: false);
        await receiver.StartAsync();
        return receiver;
    }

    /// <summary>Reads each request and then never answers, until the client gives up.</summary>
    public static async Task<LoopbackReceiver> StartSilentAsync()
    {
        var receiver = new LoopbackReceiver([], hang: true);
        await receiver.StartAsync();
        return receiver;
    }

    public Uri Url(string path) => new(BaseUrl, path);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task StartAsync() => _server = await LoopbackServer.StartAsync(app => app.Run(AnswerAsync));

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _requests.Enqueue(new ReceivedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.ContentType,
            context.Request.Headers["Idempotency-Key"].SingleOrDefault(),
            body));
        if (_hang)
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, which is what a silent receiver waits for.
            }

            return;
        }

        var turn = Interlocked.Increment(ref _answered) - 1;
        var answer = _answers[Math.Min(turn, _answers.Length - 1)];
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(context.Response.StatusCode < 300 ? "ok" : "receiver says no", context.RequestAborted);
    }
}
