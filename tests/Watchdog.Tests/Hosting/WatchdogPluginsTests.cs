using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Incidents.Notifications;
using Watchdog.Plugins;
using Watchdog.Signals;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Hosting;

/// <summary>
/// The registry configuration is validated against is the daemon's: every plug-in it registers is in it under the
/// name the plug-in declares, with a validator, so a plan that validates never meets "no action plug-in named ..."
/// in the middle of an incident; and every configuration the repository ships validates against it.
/// </summary>
public sealed partial class WatchdogPluginsTests
{
    [Fact]
    public async Task TheValidatedNames_AreExactlyTheNamesOfTheRegisteredPlugIns()
    {
        await using var app = WatchdogHost.Build(new ConfigLoadResult(new WatchdogOptions { Targets = [] }, TestPolicies.ErrorRateOnly(), [], []), []);
        var registry = WatchdogPlugins.Registry();

        var registered = app.Services.GetServices<IRollbackAction>().Select(a => a.Name).ToList();

        registered.ShouldBeUnique();
        registered.ShouldBe(registry.Names(PluginKind.Action), ignoreOrder: true);
        registry.Announced(PluginKind.Action).ShouldNotContain(name => registered.Contains(name));
        app.Services.GetRequiredService<PluginRegistry>().Entries.Select(e => (e.Kind, e.Name))
            .ShouldBe(registry.Entries.Select(e => (e.Kind, e.Name)), ignoreOrder: true);
    }

    [Fact]
    public void EveryRegisteredName_OfEachKind_HasAValidatorThatAnswers()
    {
        var entries = WatchdogPlugins.Registry().Entries;

        entries.Select(e => e.Kind).Distinct().ShouldBe([PluginKind.Action, PluginKind.SignalSource, PluginKind.NotificationChannel, PluginKind.FlagProvider], ignoreOrder: true);
        foreach (var entry in entries)
        {
            entry.Name.ShouldNotBeNullOrWhiteSpace();
            entry.ValidateParameters.ShouldNotBeNull();
            Should.NotThrow(() => entry.ValidateParameters(new Dictionary<string, string>()), $"{entry.Kind} '{entry.Name}'");
        }
    }

    /// <summary>
    /// A source kind is registered before the configuration is loaded and reads it from the container, so a kind whose
    /// services are missing something would fail only when the daemon starts: each is made here from a minimal
    /// configuration (no <c>sources:</c>, no signals), under its registered name, in the order the watch cycle asks them.
    /// </summary>
    [Fact]
    public async Task EveryRegisteredSourceKind_IsMadeByTheDaemon_FromAMinimalConfiguration()
    {
        await using var app = WatchdogHost.Build(new ConfigLoadResult(new WatchdogOptions { Targets = [] }, TestPolicies.ErrorRateOnly(), [], []), []);
        var registry = WatchdogPlugins.Registry();

        var made = app.Services.GetServices<ISignalSource>().Select(s => s.Name).ToList();

        registry.Names(PluginKind.SignalSource).ShouldBe(["prometheus", "health"]);
        made.ShouldBe([.. registry.Names(PluginKind.SignalSource), "alertmanager"]);
    }

    /// <summary>
    /// Channels are made by kind name through the factory each kind's registration line keys with it, so a kind that
    /// validates but has no factory would fail only when the daemon starts: a channel of every registered kind is
    /// made here from a minimal entry, as the plug-in type the kind was registered with.
    /// </summary>
    [Fact]
    public async Task EveryRegisteredChannelKind_IsMadeByTheDaemon_FromAMinimalEntry()
    {
        var registry = WatchdogPlugins.Registry();
        var kinds = registry.Entries.Where(e => e.Kind == PluginKind.NotificationChannel).ToList();
        var options = new WatchdogOptions
        {
            Targets = [],
            Notifications = [.. kinds.Select(k => new NotificationOptions { Name = $"to-{k.Name}", Kind = k.Name, Url = new Uri("http://127.0.0.1:9/") })],
        };
        await using var app = WatchdogHost.Build(new ConfigLoadResult(options, TestPolicies.ErrorRateOnly(), [], []), []);

        var channels = app.Services.GetRequiredService<NotificationChannelRegistry>();

        kinds.Select(k => k.Name).ShouldBe(["slack", "webhook"]);
        foreach (var kind in kinds)
        {
            var channel = channels.Find($"to-{kind.Name}").ShouldNotBeNull(kind.Name);
            channel.GetType().ShouldBe(kind.PluginType);
            channel.Name.ShouldBe($"to-{kind.Name}");
        }
    }

    /// <summary>
    /// Every YAML file of the repository, found rather than listed, is a Watchdog configuration that validates with no
    /// errors, a policy one of them loads, a policy test, or a kubeconfig fixture; a new file of another sort fails
    /// here until this test is told what it is.
    /// </summary>
    [Fact]
    public void EveryShippedConfiguration_ValidatesAgainstTheRegistry_AndNoYamlFileGoesUnchecked()
    {
        var files = YamlFilesOfTheRepository();
        var configs = files.Where(f => TopLevelKeys(f).Overlaps(["targets", "signals", "sources"])).ToList();
        var checkedPolicies = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var registry = WatchdogPlugins.Registry();

        foreach (var config in configs)
        {
            var result = WatchdogConfigLoader.Load(config, registry, new Dictionary<string, string?>());
            problems.AddRange(result.Errors.Select(e => $"{Shown(config)}: {e}"));
            checkedPolicies.UnionWith(result.Options?.Policies ?? []);
        }

        var unaccounted = files
            .Except(configs)
            .Where(f => !checkedPolicies.Contains(f))
            .Where(f => !f.EndsWith(".test.yaml", StringComparison.Ordinal)) // policy tests: WatchdogCliEndToEndTests runs them
            .Where(f => !TopLevelKeys(f).IsSupersetOf(["apiVersion", "clusters"])) // kubeconfig fixtures of the Kubernetes tests
            .Where(f => !TopLevelKeys(f).SetEquals(["groups"])) // Prometheus rule files: WatchdogRulesTests runs promtool on them
            .Select(Shown)
            .Where(f => !f.StartsWith("helm/watchdog/", StringComparison.Ordinal)); // the Helm chart: Packaging/HelmChartTests checks its files

        configs.ShouldNotBeEmpty();
        checkedPolicies.ShouldNotBeEmpty();
        problems.ShouldBeEmpty();
        unaccounted.ShouldBeEmpty("YAML files that are no configuration this test validates; say here what they are");
    }

    private static List<string> YamlFilesOfTheRepository()
    {
        var root = RepositoryPaths.Root;
        string[] skipped = ["bin", "obj", ".git", "node_modules", "TestResults"];
        return [.. Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(skipped.Contains))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)];
    }

    private static HashSet<string> TopLevelKeys(string file) =>
        [.. File.ReadLines(file).Select(line => TopLevelKey().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    private static string Shown(string file) => Path.GetRelativePath(RepositoryPaths.Root, file);

    [GeneratedRegex("^([A-Za-z_][A-Za-z0-9_-]*):")]
    private static partial Regex TopLevelKey();
}
