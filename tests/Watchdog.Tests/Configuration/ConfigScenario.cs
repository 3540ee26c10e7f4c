using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Configuration;

/// <summary>A config file in a temp folder of its own, with fake policies in <c>policies/</c>.</summary>
internal sealed class ConfigScenario : IDisposable
{
    private readonly TempDirectory _directory = new();

    public ConfigScenario()
    {
        // Reads every signal the tests' configs catalogue, so the cross-checks have something to check.
        Policies
            .Add("matrix.yaml", "runbook-matrix", "error_rate", "health_check_failure_ratio")
            .Add("tree.yaml", "runbook-tree", "error_rate");
    }

    public FakePolicyParser Policies { get; } = new();

    public string Folder => _directory.Path;

    public string ConfigPath => Path.Combine(_directory.Path, "watchdog.yaml");

    /// <summary>Writes <paramref name="yaml"/> as the config (and empty policy files for the fakes) and loads it.</summary>
    public ConfigLoadResult Load(string yaml, Dictionary<string, string?>? environment = null)
    {
        _directory.Write("watchdog.yaml", yaml);
        _directory.Write("policies/matrix.yaml", "");
        _directory.Write("policies/tree.yaml", "");
        return WatchdogConfigLoader.Load(ConfigPath, WatchdogPlugins.Registry(), environment ?? [], Policies.Parse);
    }

    public string Write(string relativePath, string content) => _directory.Write(relativePath, content);

    /// <summary>The error at <paramref name="line"/> of the config, as the operator reads it.</summary>
    public string At(int line, string pathAndMessage) => $"{ConfigPath}:{line} {pathAndMessage}";

    public void Dispose() => _directory.Dispose();
}
