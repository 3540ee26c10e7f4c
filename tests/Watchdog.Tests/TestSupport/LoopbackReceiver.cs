using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Watchdog.Tests.TestSupport;

/// <summary>A real HTTP server on 127.0.0.1 that records every request and answers as the test says.</summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Queue<int> _statuses;

    private LoopbackReceiver(WebApplication app, IEnumerable<int> statuses)
    {
        _app = app;
        _statuses = new Queue<int>(statuses);
    }

    public List<(string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers)> Requests { get; } = [];

    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Answers each request with the next status of <paramref name="statuses"/>; the last one repeats.</summary>
    public static async Task<LoopbackReceiver> StartAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app, statuses.Length == 0 ? [200] : statuses);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        int status;
        lock (Requests)
        {
            // Kestrel reuses the live header collection after the request: keep a copy.
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            Requests.Add((context.Request.Method, context.Request.Path + context.Request.QueryString, body, headers));
            status = _statuses.Count > 1 ? _statuses.Dequeue() : _statuses.Peek();
        }

        context.Response.StatusCode = status;
        await context.Response.WriteAsync(status < 300 ? "{\"ok\":true}" : "{\"error\":\"receiver failed\"}");
    }
}
