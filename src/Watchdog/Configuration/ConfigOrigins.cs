using System.Text;

namespace Watchdog.Configuration;

/// <summary>Where a configuration key came from: a line of the file, or an environment variable.</summary>
internal sealed class ConfigOrigins(string file, IReadOnlyDictionary<string, int> lines, EnvironmentOverrides environment)
{
    public string File => file;

    /// <summary>An error or warning about <paramref name="key"/>, pointing at the variable or line it came from.</summary>
    public ConfigError Describe(string key, string message)
    {
        if (environment.VariableFor(key) is { } variable)
        {
            return new ConfigError("env", null, DisplayPath(key), $"{message} (from {variable})");
        }

        // A key that is missing (a required value) is reported at the line of the nearest section that exists.
        for (var probe = key; probe.Length > 0; probe = Parent(probe))
        {
            if (lines.TryGetValue(probe, out var line))
            {
                return new ConfigError(file, line, DisplayPath(key), message);
            }
        }

        return new ConfigError(file, null, DisplayPath(key), message);
    }

    /// <summary><c>targets:0:health:1:timeout</c> as an operator reads it: <c>targets[0].health[1].timeout</c>.</summary>
    public static string DisplayPath(string key)
    {
        var builder = new StringBuilder();
        foreach (var segment in key.Split(':'))
        {
            if (segment.Length > 0 && segment.All(char.IsAsciiDigit))
            {
                builder.Append('[').Append(segment).Append(']');
            }
            else
            {
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }

                builder.Append(segment);
            }
        }

        return builder.ToString();
    }

    private static string Parent(string key)
    {
        var colon = key.LastIndexOf(':');
        return colon < 0 ? "" : key[..colon];
    }
}
