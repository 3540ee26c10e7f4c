using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Flags;
using Watchdog.Hosting;
using Watchdog.Plugins;
using Watchdog.Tests.Hosting;

namespace Watchdog.Tests.Flags;

/// <summary>
/// Providers are made by kind name through the factory each kind's registration line keys with it, so a kind that
/// validates but cannot be made would fail only when an incident needs it: one of every kind is made by the daemon here.
/// </summary>
public sealed class FlagProviderRegistrationTests
{
    [Fact]
    public async Task EveryRegisteredProviderKind_IsMadeByTheDaemon_AndFoundByItsName()
    {
        var kinds = WatchdogPlugins.Registry().Entries.Where(e => e.Kind == PluginKind.FlagProvider).ToList();
        var options = new WatchdogOptions
        {
            Targets = [],
            Flags = [.. kinds.Select(k => new FlagProviderOptions { Name = $"via-{k.Name}", Kind = k.Name, Url = new Uri("http://127.0.0.1:9/"), Token = "t" })],
        };
        await using var app = WatchdogHost.Build(new ConfigLoadResult(options, TestPolicies.ErrorRateOnly(), [], []), []);

        var providers = app.Services.GetRequiredService<IFlagProviders>();

        kinds.Select(k => k.Name).ShouldBe(["unleash", "http"]);
        foreach (var kind in kinds)
        {
            var provider = providers.Find($"via-{kind.Name}").ShouldNotBeNull(kind.Name);
            // The daemon exports metrics, so each provider reports its flags' percentages through the gauge wrapper.
            provider.ShouldBeOfType<GaugedFlagProvider>().Inner.GetType().ShouldBe(kind.PluginType);
        }

        providers.Find(null).ShouldBeNull("with two providers, a step must name one");
        providers.Find("nope").ShouldBeNull();
    }

    [Fact]
    public void Find_WithoutAName_IsTheOnlyProvider() =>
        new FlagProviders([new NamedProvider("only")]).Find(null).ShouldNotBeNull().Name.ShouldBe("only");

    [Fact]
    public void TwoProvidersOfOneName_AreAWiringError() =>
        Should.Throw<InvalidOperationException>(() => new FlagProviders([new NamedProvider("a"), new NamedProvider("a")]))
            .Message.ShouldBe("two flag providers are named 'a'");

    private sealed class NamedProvider(string name) : IFlagProvider
    {
        public string Name => name;

        public Task<FlagState> ReadAsync(FlagRef flag, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetRolloutAsync(FlagRef flag, int percent, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetEnabledAsync(FlagRef flag, bool enabled, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
