using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Sandbox.Demo;

/// <summary>
/// The demo's incident channel: takes Watchdog's generic JSON webhook notifications (<c>POST</c>, <c>{title, fields, incident_id}</c>)
/// and keeps them in the order they came, so the demo can show what people were told and when.
/// </summary>
internal sealed class Pager : IAsyncDisposable
{
    private readonly List<PagedMessage> _received = [];
    private WebApplication? _app;

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public static async Task<Pager> StartAsync(CancellationToken cancellationToken)
    {
        var pager = new Pager();
        (pager._app, pager.Url) = await LoopbackHttp.StartAsync(pager.ReceiveAsync, cancellationToken);
        return pager;
    }

    /// <summary>The messages received from the <paramref name="from"/>-th on (0: all of them).</summary>
    public IReadOnlyList<PagedMessage> Since(int from)
    {
        lock (_received)
        {
            return [.. _received.Skip(from)];
        }
    }

    private async Task ReceiveAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        PagedMessage message;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            var root = body.RootElement;
            message = new PagedMessage(
                root.GetProperty("title").GetString() ?? "",
                root.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object
                    ? [.. fields.EnumerateObject().Select(f => new KeyValuePair<string, string>(f.Name, f.Value.GetString() ?? ""))]
                    : [],
                root.TryGetProperty("incident_id", out var incident) && incident.ValueKind == JsonValueKind.Number ? incident.GetInt64() : null);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // A body that is not Watchdog's webhook payload: refused, as a real receiver would.
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        lock (_received)
        {
            _received.Add(message);
        }

        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
