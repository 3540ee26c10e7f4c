namespace Watchdog.Tests.Fakes;

/// <summary>Hands out clients over one shared handler, with no time limit of their own, whatever the name.</summary>
internal sealed class SingleHandlerHttpClientFactory : IHttpClientFactory, IDisposable
{
    private readonly SocketsHttpHandler _handler = new();

    public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => _handler.Dispose();
}
