using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Signals;
using Watchdog.Signals.Health;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Health;

/// <summary>A failing endpoint is logged when it starts failing and when it passes again, not once per probe.</summary>
public sealed class HealthProbeLoggingTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private volatile int _status = StatusCodes.Status200OK;

    public async Task InitializeAsync() =>
        _server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = _status;
            return Task.CompletedTask;
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Read_EndpointFailingForThreeProbesThenPassing_LogsOneFailureAndOneRecovery()
    {
        var logs = new RecordingLoggerProvider();
        using var services = HealthSources.Services(TimeProvider.System, logs, AsTheHostLogs);
        var source = services.GetRequiredService<HealthProbeSource>();
        var request = new SignalRequest(HealthSources.Target(new HealthCheckOptions { Url = _server.UrlOf("/health"), Timeout = TimeSpan.FromSeconds(10) }), HealthSources.Ratio);

        await source.ReadAsync([request], CancellationToken.None);
        _status = StatusCodes.Status503ServiceUnavailable;
        for (var probe = 0; probe < 3; probe++)
        {
            await source.ReadAsync([request], CancellationToken.None);
        }

        _status = StatusCodes.Status200OK;
        await source.ReadAsync([request], CancellationToken.None);
        await source.ReadAsync([request], CancellationToken.None);

        var entries = logs.Logger.Entries.ToList();
        entries.Count.ShouldBe(2, string.Join(Environment.NewLine, entries.Select(e => e.Message)));
        entries[0].Level.ShouldBe(LogLevel.Warning);
        entries[0].Message.ShouldBe($"Health probe of checkout at {_server.UrlOf("/health")} fails: status 503, expected 200-299; said again when it passes");
        entries[1].Level.ShouldBe(LogLevel.Information);
        entries[1].Message.ShouldBe($"Health probe of checkout at {_server.UrlOf("/health")} passes again");
    }

    [Fact]
    public async Task Read_TwoTargetsOnTheSameUrl_KeepTheirStreaksApart()
    {
        var logs = new RecordingLoggerProvider();
        using var services = HealthSources.Services(TimeProvider.System, logs, AsTheHostLogs);
        var source = services.GetRequiredService<HealthProbeSource>();
        var endpoint = new HealthCheckOptions { Url = _server.UrlOf("/health"), Timeout = TimeSpan.FromSeconds(10) };
        _status = StatusCodes.Status503ServiceUnavailable;

        await source.ReadAsync([new SignalRequest(HealthSources.Target(endpoint), HealthSources.Ratio)], CancellationToken.None);
        await source.ReadAsync([new SignalRequest(HealthSources.Target(endpoint) with { Name = "cart" }, HealthSources.Ratio)], CancellationToken.None);

        logs.Logger.Entries.Select(e => e.Fields["Target"]).ShouldBe(["checkout", "cart"]);
    }

    // Information and up, with HttpClient's own request lines kept to warnings as the host keeps them (WatchdogHostTests holds that).
    private static void AsTheHostLogs(IServiceCollection services) => services.AddLogging(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));
}
