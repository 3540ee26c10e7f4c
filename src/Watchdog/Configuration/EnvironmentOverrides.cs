using System.Collections;

namespace Watchdog.Configuration;

/// <summary>
/// <c>WATCHDOG__TARGETS__0__POLICY=runbook-tree</c> as the configuration key <c>targets:0:policy</c>,
/// remembering which variable each key came from so an error on it can name the variable.
/// </summary>
internal sealed class EnvironmentOverrides
{
    public const string Prefix = "WATCHDOG__";

    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _variables = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="environment">The variables to read; null reads the process environment.</param>
    /// <param name="fileKeys">The keys of the file, so an override keeps the file's spelling of a key it replaces.</param>
    public EnvironmentOverrides(IReadOnlyDictionary<string, string?>? environment, IEnumerable<string> fileKeys)
    {
        var spellings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in fileKeys)
        {
            var segments = key.Split(':');
            for (var i = 1; i <= segments.Length; i++)
            {
                var prefix = string.Join(':', segments, 0, i);
                spellings.TryAdd(prefix, prefix);
            }
        }

        foreach (var (name, value) in environment ?? ReadProcessEnvironment())
        {
            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || name.Length == Prefix.Length)
            {
                continue;
            }

            var key = Spell(name[Prefix.Length..].Split("__"), spellings);
            _values[key] = value;
            _variables[key] = name;
        }
    }

    public IReadOnlyDictionary<string, string?> Values => _values;

    /// <summary>The environment variable that set <paramref name="key"/>, or null when the file did.</summary>
    public string? VariableFor(string key) => _variables.GetValueOrDefault(key);

    // Keys the file does not have are written in lower case, the way the YAML spells its keys.
    private static string Spell(string[] segments, Dictionary<string, string> spellings)
    {
        var key = "";
        foreach (var segment in segments)
        {
            var candidate = key.Length == 0 ? segment : $"{key}:{segment}";
            key = spellings.TryGetValue(candidate, out var spelled) ? spelled : candidate.ToLowerInvariant();
        }

        return key;
    }

    private static Dictionary<string, string?> ReadProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }
}
