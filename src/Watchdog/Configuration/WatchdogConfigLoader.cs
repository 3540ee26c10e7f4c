using Microsoft.Extensions.Configuration;
using Watchdog.Plugins;
using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>Reads <c>watchdog.yaml</c>, applies <c>WATCHDOG__</c> environment overrides, loads every policy it names, and validates it all.</summary>
internal static class WatchdogConfigLoader
{
    /// <param name="configPath">The YAML file, as the user named it (errors quote it this way).</param>
    /// <param name="plugins">The plug-ins plan steps, signal sources and notification kinds are checked against, with their validators.</param>
    /// <param name="environment">Environment variables to apply as overrides; null reads the process environment.</param>
    public static ConfigLoadResult Load(string configPath, PluginRegistry plugins, IReadOnlyDictionary<string, string?>? environment = null) =>
        Load(configPath, plugins, environment, ParsePolicy);

    /// <param name="parsePolicy">Reads one policy file (full path, path to show in errors); tests pass a fake so they need not depend on the policy syntax.</param>
    internal static ConfigLoadResult Load(
        string configPath, PluginRegistry plugins, IReadOnlyDictionary<string, string?>? environment, Func<string, string, PolicyParseResult> parsePolicy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configPath);
        ArgumentNullException.ThrowIfNull(plugins);
        var fullPath = Path.GetFullPath(configPath);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failed(new ConfigError(configPath, null, "", $"configuration file not found (looked for {fullPath})"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(new ConfigError(configPath, null, "", $"cannot read configuration file: {ex.Message}"));
        }

        var yaml = YamlFlattener.Flatten(text, configPath);
        if (yaml.Error is { } syntaxError)
        {
            return Failed(syntaxError);
        }

        var overrides = new EnvironmentOverrides(environment, yaml.Values.Keys);
        // Indexed providers, not AddInMemoryCollection: the default one scans every key per GetChildren call,
        // which made reading 10,000 targets quadratic (minutes). The overrides come last, so they win.
        var configuration = new ConfigurationRoot(
            [new IndexedConfigurationProvider(yaml.Values), new IndexedConfigurationProvider(overrides.Values)]);

        var reader = new ConfigReader(new ConfigOrigins(configPath, yaml.Lines, overrides), Path.GetDirectoryName(fullPath)!);
        var options = new WatchdogOptionsReader(reader, plugins).Read(configuration, fullPath);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        var policies = LoadPolicies(configPath, options, reader, parsePolicy, broken);
        ConfigCrossChecks.Run(options, policies, reader, broken, plugins);

        var errors = ConfigErrorOrder.Sort(reader.Errors, configPath);
        return new ConfigLoadResult(errors.Count == 0 ? options : null, policies, errors, reader.Warnings);
    }

    private static Dictionary<string, CompiledPolicy> LoadPolicies(
        string configPath, WatchdogOptions options, ConfigReader reader, Func<string, string, PolicyParseResult> parsePolicy, HashSet<string> broken)
    {
        var policies = new Dictionary<string, CompiledPolicy>(StringComparer.Ordinal);
        var seenAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var shownFolder = Path.GetDirectoryName(configPath) ?? "";
        for (var i = 0; i < options.Policies.Count; i++)
        {
            var key = $"policies:{i}";
            var fullPath = options.Policies[i];
            if (!File.Exists(fullPath))
            {
                reader.Error(key, $"policy file not found: {fullPath}");
                continue;
            }

            // Name the policy file the way the operator reaches it from where they named the config
            // (config/policies/x.yaml), falling back to the full path when that would need "..".
            var underConfig = Path.GetRelativePath(Path.GetFullPath(shownFolder.Length == 0 ? "." : shownFolder), fullPath);
            var shownPath = Path.IsPathRooted(configPath) || underConfig.StartsWith("..", StringComparison.Ordinal)
                ? fullPath
                : Path.Combine(shownFolder, underConfig);
            var parsed = parsePolicy(fullPath, shownPath);
            reader.Errors.AddRange(parsed.Errors);
            if (parsed.Policy is not { } policy)
            {
                if (parsed.Name is { Length: > 0 } name)
                {
                    broken.Add(name);
                }

                continue;
            }

            if (!seenAt.TryAdd(policy.Name, i))
            {
                reader.Error(key, $"duplicate policy name '{policy.Name}' (also in policies[{seenAt[policy.Name]}])");
                continue;
            }

            policies[policy.Name] = policy;
        }

        return policies;
    }

    // The single place the real parser is called, so the checks around it do not depend on its shape.
    private static PolicyParseResult ParsePolicy(string fullPath, string shownPath) => PolicyFileParser.ParseFile(fullPath, shownPath);

    private static ConfigLoadResult Failed(ConfigError error) =>
        new(null, new Dictionary<string, CompiledPolicy>(StringComparer.Ordinal), [error], []);
}
