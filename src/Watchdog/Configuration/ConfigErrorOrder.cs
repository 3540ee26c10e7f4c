namespace Watchdog.Configuration;

/// <summary>
/// The order errors are shown in: file by file, each file's by line, so an operator walks each file once, top to
/// bottom. The policy files come first, in the order the config names them, then the config file itself (whose
/// "policy 'x' has errors (above)" points back at them), then the environment overrides.
/// </summary>
internal static class ConfigErrorOrder
{
    public const string EnvironmentFile = "env";

    public static List<ConfigError> Sort(IReadOnlyList<ConfigError> errors, string configPath)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var error in errors)
        {
            rank.TryAdd(error.File, error.File == configPath ? int.MaxValue - 1 : error.File == EnvironmentFile ? int.MaxValue : rank.Count);
        }

        // OrderBy is stable: errors on the same line (or with none) keep the order they were found in.
        return [.. errors.OrderBy(e => rank[e.File]).ThenBy(e => e.Line ?? 0)];
    }
}
