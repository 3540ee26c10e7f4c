using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Health;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Health;

/// <summary>
/// Every endpoint of three or more targets failing in one cycle is Watchdog's own network, not that many failing
/// releases: health is inconclusive then, said once in the log. One or two targets failing are still failing.
/// </summary>
public sealed class HealthOwnOutageTests : IAsyncLifetime
{
    private HealthEndpointServer _server = null!;

    public async Task InitializeAsync() => _server = await HealthEndpointServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Read_EveryEndpointOfThreeTargetsFailing_IsInconclusiveForAllAndSaidOnce()
    {
        var logs = new RecordingLoggerProvider();
        using var services = HealthSources.Services(TimeProvider.System, logs);
        var source = services.GetRequiredService<HealthProbeSource>();
        SignalRequest[] requests = [Request("cart", "/down", "/down"), Request("checkout", HealthEndpointServer.Unreachable()), Request("search", "/teapot")];

        var first = await source.ReadAsync(requests, CancellationToken.None);
        var second = await source.ReadAsync(requests, CancellationToken.None);

        foreach (var value in first.Concat(second))
        {
            value.State.ShouldBe(SignalState.Error);
            value.ErrorMessage!.ShouldStartWith("inconclusive: every health endpoint of all 3 targets probed this cycle failed, which points at Watchdog's own network");
        }

        first[0].ErrorMessage!.ShouldEndWith($"(1 (2/2 failed: {_server.Url("/down")} status 503, expected 200-299; {_server.Url("/down")} status 503, expected 200-299))");
        logs.Logger.Entries.Where(e => e.Level == LogLevel.Warning && e.EventId == 562).ShouldHaveSingleItem().Message.ShouldContain("all 3 targets");
    }

    [Fact]
    public async Task Read_OneEndpointOfThreeTargetsAnswering_LeavesTheOthersFailing()
    {
        using var services = HealthSources.Services(TimeProvider.System);
        var values = await services.GetRequiredService<HealthProbeSource>().ReadAsync(
            [Request("cart", "/down"), Request("checkout", "/down", "/up"), Request("search", "/down")],
            CancellationToken.None);

        values.Select(v => v.Number).ShouldBe([1, 0.5, 1]);
    }

    [Fact]
    public async Task Read_EveryEndpointOfTwoTargetsFailing_IsStillFailing()
    {
        using var services = HealthSources.Services(TimeProvider.System);
        var values = await services.GetRequiredService<HealthProbeSource>().ReadAsync(
            [Request("cart", "/down"), Request("checkout", "/down"), new SignalRequest(HealthSources.Target() with { Name = "no-endpoints" }, HealthSources.Ratio)],
            CancellationToken.None);

        values.Select(v => v.State).ShouldBe([SignalState.Number, SignalState.Number, SignalState.NoData]);
        values[0].Number.ShouldBe(1);
    }

    [Fact]
    public async Task Read_AfterTheOwnOutage_CountsFailuresAgainAndSaysSo()
    {
        var logs = new RecordingLoggerProvider();
        using var services = HealthSources.Services(TimeProvider.System, logs);
        var source = services.GetRequiredService<HealthProbeSource>();

        await source.ReadAsync([Request("a", "/down"), Request("b", "/down"), Request("c", "/down")], CancellationToken.None);
        var after = await source.ReadAsync([Request("a", "/down"), Request("b", "/down"), Request("c", "/up")], CancellationToken.None);

        after.Select(v => v.Number).ShouldBe([1, 1, 0]);
        logs.Logger.Entries.ShouldContain(e => e.Level == LogLevel.Information && e.Message.Contains("answer again", StringComparison.Ordinal));
    }

    private SignalRequest Request(string target, params string[] paths) =>
        Request(target, [.. paths.Select(_server.Url)]);

    private static SignalRequest Request(string target, params Uri[] urls) => new(
        HealthSources.Target([.. urls.Select(url => new HealthCheckOptions { Url = url, Timeout = TimeSpan.FromSeconds(10) })]) with { Name = target },
        HealthSources.Ratio);
}
