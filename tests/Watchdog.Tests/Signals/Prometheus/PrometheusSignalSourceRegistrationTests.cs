using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Prometheus;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>The Prometheus source as its one registration line makes it, from the options in the container.</summary>
public sealed class PrometheusSignalSourceRegistrationTests
{
    private static readonly Dictionary<string, SignalOptions> ErrorRate = new()
    {
        ["error_rate"] = new() { Name = "error_rate", Source = "prometheus", Query = """up{target="{{target}}"}""" },
    };

    [Fact]
    public async Task AddSignalSource_Configured_RegistersASourceThatQueriesThroughTheNamedClient()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "0.5"));
        var options = new WatchdogOptions
        {
            Sources = new SourcesOptions { Prometheus = new PrometheusSourceOptions { Url = stub.BaseUrl, BearerToken = "t0ken" } },
            Signals = ErrorRate,
        };
        await using var provider = Services(options);

        var source = provider.GetServices<ISignalSource>().Single();
        var values = await source.ReadAsync([new SignalRequest(new TargetOptions { Name = "checkout" }, "error_rate")], CancellationToken.None);

        source.Name.ShouldBe("prometheus");
        values.ShouldBe([SignalValue.Of(0.5)]);
        stub.Queries.Single().Query.ShouldBe("""up{target="checkout"}""");
        stub.Queries.Single().Headers["Authorization"].ShouldBe("Bearer t0ken");
    }

    /// <summary>Registered before the options are known, the source is there without <c>sources.prometheus</c>, and measures nothing.</summary>
    [Fact]
    public async Task AddSignalSource_NotConfigured_ProvidesNoSignalAndQueriesNothing()
    {
        await using var provider = Services(new WatchdogOptions { Signals = ErrorRate });

        var source = provider.GetServices<ISignalSource>().Single();
        var values = await source.ReadAsync([new SignalRequest(new TargetOptions { Name = "checkout" }, "error_rate")], CancellationToken.None);

        source.Provides(new TargetOptions { Name = "checkout" }, "error_rate").ShouldBeFalse();
        values.Single().ErrorMessage.ShouldBe("sources.prometheus is not configured");
    }

    private static ServiceProvider Services(WatchdogOptions options) =>
        new ServiceCollection().AddLogging().AddSingleton(options).AddSignalSource<PrometheusSignalSource>().BuildServiceProvider();
}
