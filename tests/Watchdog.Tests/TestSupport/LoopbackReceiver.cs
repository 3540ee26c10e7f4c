using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Watchdog.Tests.TestSupport;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) that records every request and answers with scripted
/// status codes in turn, repeating the last; or never answers at all.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly int[] _statuses;
    private readonly bool _hang;
    private int _answered;

    private LoopbackReceiver(int[] statuses, bool hang)
    {
        _statuses = statuses.Length == 0 ? [200] : statuses;
        _hang = hang;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(AnswerAsync);
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Answers the first request with <paramref name="statuses"/>[0], the second with [1], ...; later ones with the last.</summary>
    public static async Task<LoopbackReceiver> StartAsync(params int[] statuses)
    {
        var receiver = new LoopbackReceiver(statuses, hang: false);
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

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task StartAsync()
    {
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUrl = new Uri(address);
    }

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
        context.Response.StatusCode = _statuses[Math.Min(turn, _statuses.Length - 1)];
        await context.Response.WriteAsync(context.Response.StatusCode < 300 ? "ok" : "receiver says no", context.RequestAborted);
    }
}
