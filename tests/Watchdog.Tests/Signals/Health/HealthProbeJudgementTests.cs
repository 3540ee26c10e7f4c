using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Health;

namespace Watchdog.Tests.Signals.Health;

/// <summary>
/// Which failed probes say the service is failing (a number, with the reason as its note) and which say only that
/// Watchdog could not ask (an error: unknown, never a reason to act).
/// </summary>
public sealed class HealthProbeJudgementTests : IAsyncLifetime
{
    private HealthEndpointServer _server = null!;

    public async Task InitializeAsync() => _server = await HealthEndpointServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Read_EndpointSilentPastItsTimeoutAndOneRefusing_FailBothWithTheirReasonsInTheNote()
    {
        var refusing = HealthEndpointServer.Unreachable();
        var target = HealthSources.Target(
            new HealthCheckOptions { Url = _server.Url("/hang"), Timeout = TimeSpan.FromSeconds(1) },
            new HealthCheckOptions { Url = refusing, Timeout = TimeSpan.FromSeconds(1) });

        var value = await HealthSources.ReadOneAsync(target);

        value.ShouldBe(SignalValue.Of(1, $"2/2 failed: {_server.Url("/hang")} no answer within 1000 ms; {refusing} connection refused"));
        value.ToString().ShouldBe($"1 (2/2 failed: {_server.Url("/hang")} no answer within 1000 ms; {refusing} connection refused)");
    }

    [Fact]
    public async Task Read_HostNameThatDoesNotResolve_IsAnErrorNotAFailure()
    {
        // What the resolver throws for an unknown name, without asking a real DNS server.
        using var services = HealthSources.Services(TimeProvider.System, services: s => s.AddHttpClient(HealthProbeSource.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ConnectCallback = (_, _) => throw new SocketException((int)SocketError.HostNotFound) }));
        var target = HealthSources.Target(new HealthCheckOptions { Url = new Uri("http://checkout.internal:8080/healthz"), Timeout = TimeSpan.FromSeconds(5) });

        var values = await services.GetRequiredService<HealthProbeSource>().ReadAsync([new SignalRequest(target, HealthSources.Ratio)], CancellationToken.None);

        var value = values.ShouldHaveSingleItem();
        value.State.ShouldBe(SignalState.Error);
        value.ErrorMessage.ShouldBe("1/1 health probes could not be judged: http://checkout.internal:8080/healthz the host name does not resolve");
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/healthz")]
    [InlineData("/healthz")]
    public async Task Read_UrlThatCannotBeSent_IsAnErrorNotAFailure(string url)
    {
        var target = HealthSources.Target(
            new HealthCheckOptions { Url = new Uri(url, UriKind.RelativeOrAbsolute) },
            new HealthCheckOptions { Url = _server.Url("/down"), Timeout = TimeSpan.FromSeconds(5) });

        var value = await HealthSources.ReadOneAsync(target);

        value.State.ShouldBe(SignalState.Error);
        value.ErrorMessage!.ShouldStartWith($"1/2 health probes could not be judged: {url} cannot be sent: ");
        value.ErrorMessage.ShouldEndWith($"; 1 failed: {_server.Url("/down")} status 503, expected 200-299");
    }

    [Fact]
    public async Task Read_CallerCancelsWhileAProbeWaits_IsNeverAFailure()
    {
        using var services = HealthSources.Services(TimeProvider.System);
        using var stopping = new CancellationTokenSource();
        var target = HealthSources.Target(new HealthCheckOptions { Url = _server.Url("/hang"), Timeout = TimeSpan.FromSeconds(30) });

        var reading = services.GetRequiredService<HealthProbeSource>().ReadAsync([new SignalRequest(target, HealthSources.Ratio)], stopping.Token);
        await Eventually.HoldsAsync(() => _server.Requests.Contains("GET /hang"), "the probe was sent");
        await stopping.CancelAsync();
        var value = (await reading.WaitAsync(TimeSpan.FromSeconds(10))).ShouldHaveSingleItem();

        value.State.ShouldBe(SignalState.Error);
        value.ErrorMessage.ShouldBe($"1/1 health probes could not be judged: {_server.Url("/hang")} probe cancelled before it was judged");
    }

    [Fact]
    public void Describe_UrlWithUserInfoAndQuery_ShowsNeitherTheUserInfoNorTheQueryValues()
    {
        var shown = HealthLog.Describe(new Uri("https://probe:s3cret@checkout.internal:8443/healthz?token=abc&verbose"));

        shown.ShouldBe("https://checkout.internal:8443/healthz?token=***&verbose");
    }
}
