using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Watchdog.Sandbox.Demo;

/// <summary>
/// The runbook's generic flag API, as Watchdog's <c>http</c> flag provider speaks it by default:
/// <c>GET /features/{name}</c> answers <c>{"enabled":true,"rollout_percentage":50}</c>, and
/// <c>PATCH /admin/features</c> with <c>{"feature":name}</c> and the field that changes sets it.
/// </summary>
internal sealed class FlagServer : IAsyncDisposable
{
    private const string ReadPrefix = "/features/";
    private const string WritePath = "/admin/features";

    private readonly ConcurrentDictionary<string, FlagSetting> _flags = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public static async Task<FlagServer> StartAsync(CancellationToken cancellationToken)
    {
        var server = new FlagServer();
        (server._app, server.Url) = await LoopbackHttp.StartAsync(server.AnswerAsync, cancellationToken);
        return server;
    }

    public void Set(string flag, bool enabled, int rolloutPercentage) => _flags[flag] = new FlagSetting(enabled, rolloutPercentage);

    public FlagSetting? Get(string flag) => _flags.TryGetValue(flag, out var setting) ? setting : null;

    private async Task AnswerAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        if (HttpMethods.IsGet(http.Request.Method) && path.StartsWith(ReadPrefix, StringComparison.Ordinal))
        {
            await WriteAsync(http, Uri.UnescapeDataString(path[ReadPrefix.Length..]));
            return;
        }

        if (!HttpMethods.IsPatch(http.Request.Method) || path != WritePath)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        JsonObject? change;
        try
        {
            change = await JsonSerializer.DeserializeAsync<JsonObject>(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            change = null;
        }

        if (change?["feature"]?.GetValue<string>() is not { } flag || Get(flag) is not { } setting)
        {
            http.Response.StatusCode = change is null ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound;
            return;
        }

        _flags[flag] = setting with
        {
            Enabled = change["enabled"]?.GetValue<bool>() ?? setting.Enabled,
            RolloutPercentage = change["rollout_percentage"]?.GetValue<int>() ?? setting.RolloutPercentage,
        };
        await WriteAsync(http, flag);
    }

    private Task WriteAsync(HttpContext http, string flag)
    {
        if (Get(flag) is not { } setting)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        http.Response.ContentType = "application/json";
        var body = new JsonObject { ["enabled"] = setting.Enabled, ["rollout_percentage"] = setting.RolloutPercentage };
        return http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
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
