using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Prometheus;

namespace Watchdog.Tests.Signals.Prometheus;

public sealed class PrometheusServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddPrometheusSource_Configured_RegistersASourceThatQueriesThroughTheNamedClient()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "0.5"));
        var options = new WatchdogOptions
        {
            Sources = new SourcesOptions { Prometheus = new PrometheusSourceOptions { Url = stub.BaseUrl, BearerToken = "t0ken" } },
            Signals = new Dictionary<string, SignalOptions>
            {
                ["error_rate"] = new() { Name = "error_rate", Source = SignalSourceKind.Prometheus, Query = """up{target="{{target}}"}""" },
            },
        };
        await using var provider = new ServiceCollection().AddLogging().AddPrometheusSource(options).BuildServiceProvider();

        var source = provider.GetServices<ISignalSource>().Single();
        var values = await source.ReadAsync([new SignalRequest(new TargetOptions { Name = "checkout" }, "error_rate")], CancellationToken.None);

        source.Name.ShouldBe("prometheus");
        values.ShouldBe([SignalValue.Of(0.5)]);
        stub.Queries.Single().Query.ShouldBe("""up{target="checkout"}""");
        stub.Queries.Single().Headers["Authorization"].ShouldBe("Bearer t0ken");
    }

    [Fact]
    public void AddPrometheusSource_NotConfigured_RegistersNoSource()
    {
        using var provider = new ServiceCollection().AddLogging().AddPrometheusSource(new WatchdogOptions()).BuildServiceProvider();

        provider.GetServices<ISignalSource>().ShouldBeEmpty();
    }
}
