using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Plugins;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Configuration;

/// <summary>Source and channel kinds are the registry's: the options reader lists, suggests and validates from it, not from a list of its own.</summary>
public sealed class PluginKindReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MisspeltKinds_AreErrors_ListingAndSuggestingTheRegisteredNames()
    {
        var result = Load(WatchdogPlugins.Registry());

        result.Errors.Select(e => (e.Line, e.Path, e.Message)).ShouldBe(
        [
            (4, "signals.error_rate.source", "unknown value 'prometheus2' (expected prometheus or health) (did you mean 'prometheus'?)"),
            (8, "notifications[0].kind", "unknown value 'slak' (expected slack or webhook) (did you mean 'slack'?)"),
        ], ignoreOrder: true);
    }

    [Fact]
    public void AKindMissingFromTheRegistry_IsUnknown_AndItsValidatorIsTheRegisteredOnes()
    {
        var withoutHealth = new ServiceCollection().AddSignalSource<OnlyPrometheus>().Plugins();

        var result = Load(withoutHealth, source: "health");

        result.Errors.Select(e => e.Message).ShouldContain("unknown value 'health' (expected prometheus)");
        result.Errors.Select(e => e.Message).ShouldContain("checked by the registered plug-in");
    }

    private ConfigLoadResult Load(PluginRegistry plugins, string source = "prometheus2") =>
        WatchdogConfigLoader.Load(_dir.Write("watchdog.yaml", $"""
            sources:
              prometheus: {"{"}url: http://127.0.0.1:9090{"}"}
            signals:
              error_rate: {"{"}source: {source}, query: up{"}"}
            notifications:
              - name: ops
                url: https://hooks.example/T000
                kind: slak
            """), plugins, new Dictionary<string, string?>());

    private sealed class OnlyPrometheus : ISignalSource, ISignalSourcePlugin
    {
        public static string PluginName => "prometheus";

        public string Name => PluginName;

        public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters) => ["checked by the registered plug-in"];

        public bool Provides(TargetOptions target, string signal) => false;

        public Task<IReadOnlyList<SignalValue>> ReadAsync(IReadOnlyList<SignalRequest> requests, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SignalValue>>([]);
    }
}
