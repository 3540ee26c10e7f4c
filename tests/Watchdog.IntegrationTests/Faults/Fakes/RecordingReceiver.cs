using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>
/// A receiver for what Watchdog sends out: notification channels (<c>kind: webhook</c>) and <c>webhook</c> plan steps.
/// Each path answers by its own script, one <see cref="ReceiverAnswer"/> per request in turn, the last one repeated
/// (e.g. 500, 500, then 200; or hang for ever). Every request is recorded with its body, Idempotency-Key and answer.
/// </summary>
public sealed class RecordingReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ReceiverAnswer[]> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Lock _gate = new();
    private LoopbackServer _server = null!;

    private RecordingReceiver()
    {
    }

    public static async Task<RecordingReceiver> StartAsync()
    {
        var receiver = new RecordingReceiver();
        receiver._server = await LoopbackServer.StartAsync(receiver.AnswerAsync);
        return receiver;
    }

    /// <summary>The URL of path <paramref name="name"/>, answering by <paramref name="script"/> (200 when none is given).</summary>
    public Uri Endpoint(string name, params ReceiverAnswer[] script)
    {
        _scripts[name] = script.Length == 0 ? [ReceiverAnswer.Ok] : script;
        return new Uri(_server.Url, name);
    }

    public IReadOnlyList<ReceivedRequest> RequestsTo(string name)
    {
        lock (_gate)
        {
            return [.. _requests.Where(r => r.Path == name)];
        }
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task AnswerAsync(HttpContext http)
    {
        var name = http.Request.Path.Value!.TrimStart('/');
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var call = _calls.AddOrUpdate(name, 0, (_, n) => n + 1);
        var script = _scripts.GetValueOrDefault(name) ?? [ReceiverAnswer.Fail(404)];
        var answer = script[Math.Min(call, script.Length - 1)];
        var request = new ReceivedRequest(TimeProvider.System.GetUtcNow(), name, http.Request.Method, body, http.Request.Headers["Idempotency-Key"].FirstOrDefault(), null, http.Request.QueryString.Value ?? "");
        int index;
        lock (_gate)
        {
            index = _requests.Count;
            _requests.Add(request);
        }

        try
        {
            await Task.Delay(answer.Delay, http.RequestAborted);
            http.Response.StatusCode = answer.Status;
            await http.Response.WriteAsync(answer.Status < 300 ? "ok" : $"failing on purpose ({answer.Status})", http.RequestAborted);
            if (answer.StreamedBytes is { } total)
            {
                await LargeBody.WriteAsync(http.Response, total, http.RequestAborted);
            }

            lock (_gate)
            {
                _requests[index] = request with { Answered = answer.Status };
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The caller gave up, died or stopped reading mid-request: recorded as never answered.
        }
    }
}
