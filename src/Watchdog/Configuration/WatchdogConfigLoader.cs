namespace Watchdog.Configuration;

/// <summary>Reads <c>watchdog.yaml</c>, applies <c>WATCHDOG__</c> environment overrides, loads every policy it names, and validates it all.</summary>
public static class WatchdogConfigLoader
{
    /// <param name="configPath">The YAML file, as the user named it (errors quote it this way).</param>
    /// <param name="environment">Environment variables to apply as overrides; null reads the process environment.</param>
    public static ConfigLoadResult Load(string configPath, IReadOnlyDictionary<string, string?>? environment = null)
    {
        // CONTRACT: implemented by the configuration work stream.
        throw new NotSupportedException($"configuration loading is not written yet ({configPath}, {environment?.Count})");
    }
}
