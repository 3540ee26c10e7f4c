using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Tests.Signals.Health;

/// <summary>
/// Health endpoints on a real Kestrel at 127.0.0.1: <c>/up</c> (200 "status: UP"), <c>/down</c> (503),
/// <c>/teapot</c> (418), <c>/hang</c> (never answers) and <c>/gate</c>, which answers 200 only once
/// <see cref="GateSize"/> requests are inside it at the same time (503 after a safety wait otherwise).
/// </summary>
internal sealed class HealthEndpointServer : IAsyncDisposable
{
    private static readonly TimeSpan GateSafety = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource _gateFull = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _requests = new();
    private int _inGate;
    private LoopbackServer _server = null!;

    private HealthEndpointServer(int gateSize) => GateSize = gateSize;

    public int GateSize { get; }

    public Uri BaseUrl => _server.Url;

    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<HealthEndpointServer> StartAsync(int gateSize = 2)
    {
        var server = new HealthEndpointServer(gateSize);
        server._server = await LoopbackServer.StartAsync(server.Map);
        return server;
    }

    /// <summary>A loopback URL where nothing listens: the port was free a moment ago and is closed again.</summary>
    public static Uri Unreachable() => new($"http://127.0.0.1:{LoopbackPorts.Free()}/health");

    public Uri Url(string path) => new(BaseUrl, path);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            _requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            await next(context);
        });
        app.MapMethods("/up", ["GET", "HEAD", "POST"], () => Results.Text("status: UP"));
        app.MapGet("/down", () => Results.Text("status: DOWN", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/teapot", () => Results.Text("short and stout", statusCode: 418));
        app.MapGet("/hang", HangAsync);
        app.MapGet("/gate", PassGateAsync);
    }

    private static async Task HangAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The prober gave up, which is what this endpoint waits for.
        }
    }

    private async Task<IResult> PassGateAsync(CancellationToken aborted)
    {
        if (Interlocked.Increment(ref _inGate) >= GateSize)
        {
            _gateFull.TrySetResult();
        }

        try
        {
            await _gateFull.Task.WaitAsync(GateSafety, aborted);
            return Results.Text("status: UP");
        }
        catch (TimeoutException)
        {
            return Results.Text("the gate never filled: probes ran one after another", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
