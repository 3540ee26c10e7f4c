using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Watchdog.Tests.Signals.Health;

/// <summary>
/// Health endpoints on a real Kestrel at 127.0.0.1: <c>/up</c> (200 "status: UP"), <c>/down</c> (503),
/// <c>/teapot</c> (418), <c>/hang</c> (never answers) and <c>/gate</c>, which answers 200 only once
/// <see cref="GateSize"/> requests are inside it at the same time (503 after a safety wait otherwise).
/// </summary>
internal sealed class HealthEndpointServer : IAsyncDisposable
{
    private static readonly TimeSpan GateSafety = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly TaskCompletionSource _gateFull = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _requests = new();
    private int _inGate;

    private HealthEndpointServer(int gateSize)
    {
        GateSize = gateSize;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            _requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            await next(context);
        });
        _app.MapMethods("/up", ["GET", "HEAD", "POST"], () => Results.Text("status: UP"));
        _app.MapGet("/down", () => Results.Text("status: DOWN", statusCode: StatusCodes.Status503ServiceUnavailable));
        _app.MapGet("/teapot", () => Results.Text("short and stout", statusCode: 418));
        _app.MapGet("/hang", HangAsync);
        _app.MapGet("/gate", PassGateAsync);
    }

    public int GateSize { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<HealthEndpointServer> StartAsync(int gateSize = 2)
    {
        var server = new HealthEndpointServer(gateSize);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address);
        return server;
    }

    /// <summary>A loopback URL where nothing listens: the port was free a moment ago and is closed again.</summary>
    public static Uri Unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/health");
    }

    public Uri Url(string path) => new(BaseUrl, path);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
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
