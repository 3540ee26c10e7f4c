using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Watchdog.TestSupport;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port, or a given one to come back on): what every loopback fake and
/// minimal test host is built on. Stopping it closes the port, so a client then sees a refused connection; requests
/// still hanging are aborted after a short grace.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private int _stopped;

    private LoopbackServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    public int Port => Url.Port;

    /// <summary>The application's services, for a test that drives or reads one directly.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A fake that hands every request to one delegate and takes any request, however large or slowly read.</summary>
    public static Task<LoopbackServer> StartAsync(RequestDelegate handler, int port = 0) =>
        StartAsync(app => app.Run(handler), configureKestrel: AcceptAnything, port: port);

    /// <summary>
    /// Builds a slim web application (no log providers), lets the test add services and map endpoints, and starts it.
    /// <paramref name="configureListen"/> shapes the one endpoint, e.g. with HTTPS.
    /// </summary>
    public static async Task<LoopbackServer> StartAsync(
        Action<WebApplication> configureApp,
        Action<IServiceCollection>? configureServices = null,
        Action<KestrelServerOptions>? configureKestrel = null,
        Action<ListenOptions>? configureListen = null,
        int port = 0)
    {
        ArgumentNullException.ThrowIfNull(configureApp);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen => configureListen?.Invoke(listen));
            configureKestrel?.Invoke(kestrel);
        });
        builder.Logging.ClearProviders();
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        configureApp(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public Uri UrlOf(string path) => new(Url, path);

    /// <summary>Closes the port (a second call does nothing): from now on connections are refused.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        using var grace = new CancellationTokenSource(StopGrace);
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    // Fakes answer whatever they are asked to, however large or slow.
    private static void AcceptAnything(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.MinResponseDataRate = null;
    }
}
