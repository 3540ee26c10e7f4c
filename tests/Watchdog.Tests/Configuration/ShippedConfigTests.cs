using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Configuration;

/// <summary>The example config/watchdog.yaml, loaded with the real policy parser and the shipped policies.</summary>
public sealed class ShippedConfigTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Load_ShippedConfig_IsValid_WithoutWarnings()
    {
        // Where the daemon runs, its flag provider's token is in the environment (the only warning otherwise).
        Environment.SetEnvironmentVariable("UNLEASH_ADMIN_TOKEN", "*:*.example-admin-token");
        var result = WatchdogConfigLoader.Load(RepositoryPaths.Of("config", "watchdog.yaml"), WatchdogPlugins.Registry(), NoEnvironment);

        result.Errors.ShouldBeEmpty();
        result.Warnings.ShouldBeEmpty();
        result.Policies.Keys.ShouldBe(["runbook-matrix", "runbook-tree", "flag-guard"], ignoreOrder: true);
        var options = result.Options.ShouldNotBeNull();
        options.Targets.Select(t => (t.Name, t.Policy)).ShouldBe([("checkout", "runbook-matrix"), ("wakala", "runbook-matrix"), ("wms-backend", "runbook-tree"), ("search-v2", "flag-guard")]);
        options.Targets.ShouldAllBe(t => t.DryRun);
        options.Targets[0].Plans[DecisionAction.Rollback].Select(s => s.Action).ShouldBe(["flag-reduce", "deployment-undo"]);
        options.Targets[1].Plans[DecisionAction.Rollback].Select(s => s.Action).ShouldBe(["virtualservice-weights", "deployment-undo", "deployment-undo", "rollout-wait", "rollout-wait"]);
        options.Targets[1].Plans[DecisionAction.Investigate][0].Parameters["data.CIRCUIT_BREAKER_ENABLED"].ShouldBe("true");
        options.Targets[1].VerifyWindow.ShouldBe(TimeSpan.FromMinutes(15));

        // A flag alone, no Kubernetes: its plan only reduces the flag, checked on its own signal.
        var flagOnly = options.Targets[3].Plans[DecisionAction.Rollback].ShouldHaveSingleItem();
        (flagOnly.Action, flagOnly.Parameters["until"]).ShouldBe(("flag-reduce", "flag_error_rate <= 0.02"));
    }

    [Fact]
    public void Load_ShippedConfig_CataloguesEverySignalTheShippedPoliciesRead()
    {
        var result = WatchdogConfigLoader.Load(RepositoryPaths.Of("config", "watchdog.yaml"), WatchdogPlugins.Registry(), NoEnvironment);

        var read = result.Policies.Values.SelectMany(p => p.Signals).Distinct();
        result.Options.ShouldNotBeNull().Signals.Keys.ShouldBe(read, ignoreOrder: true);
    }

    [Fact]
    public void Load_ConfigNamedRelatively_NamesPolicyFilesUnderTheSameFolderInErrors()
    {
        using var directory = new TempDirectory();
        directory.Write("etc/watchdog.yaml", """
            policies:
              - policies/broken.yaml
            """);
        directory.Write("etc/policies/broken.yaml", "name: [unclosed");
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(directory.Path, "etc", "watchdog.yaml"));

        var result = WatchdogConfigLoader.Load(relative, WatchdogPlugins.Registry(), NoEnvironment);

        result.Options.ShouldBeNull();
        result.Errors.ShouldNotBeEmpty();
        result.Errors.ShouldAllBe(e => e.File == Path.Combine(Path.GetDirectoryName(relative)!, "policies", "broken.yaml"));
    }
}
