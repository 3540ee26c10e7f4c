using System.Globalization;
using Microsoft.Extensions.Configuration;
using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Configuration;

/// <summary>
/// Reads typed values out of configuration sections by hand, recording a problem and carrying on where
/// ConfigurationBinder would throw at the first one, so the operator sees every mistake in one run.
/// </summary>
internal sealed class ConfigReader(ConfigOrigins origins, string baseDirectory)
{
    internal delegate bool TryParse<T>(string text, out T value);

    public List<ConfigError> Errors { get; } = [];

    public List<ConfigError> Warnings { get; } = [];

    public void Error(string key, string message) => Errors.Add(origins.Describe(key, message));

    public void Warning(string key, string message) => Warnings.Add(origins.Describe(key, message));

    /// <summary>" (did you mean 'x'?)" when a candidate is close to <paramref name="input"/>, otherwise nothing.</summary>
    public static string DidYouMean(string input, IEnumerable<string> candidates) =>
        Suggestions.Closest(input, candidates) is { } near ? $" (did you mean '{near}'?)" : "";

    public static string KeyOf(IConfiguration parent, string key) =>
        parent is IConfigurationSection section ? ConfigurationPath.Combine(section.Path, key) : key;

    /// <summary>Reports every child of <paramref name="section"/> that is not one of <paramref name="known"/>.</summary>
    public void CheckKeys(IConfiguration section, IReadOnlyCollection<string> known)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                var hint = DidYouMean(child.Key, known);
                Error(child.Path, hint.Length > 0 ? $"unknown key{hint}" : $"unknown key (expected one of: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>A nested mapping with a fixed set of keys, or null when it is absent or not a mapping.</summary>
    public IConfigurationSection? Mapping(IConfiguration parent, string key, IReadOnlyCollection<string> known)
    {
        var section = parent.GetSection(key);
        if (!section.Exists())
        {
            return null;
        }

        if (section.Value is not null)
        {
            Error(section.Path, "expected a mapping of settings, not a single value");
            return null;
        }

        if (section.GetChildren().All(c => IsIndex(c.Key)))
        {
            Error(section.Path, "expected a mapping of settings, not a list");
            return null;
        }

        CheckKeys(section, known);
        return section;
    }

    /// <summary>The entries of a mapping whose keys are names chosen by the operator (signals, variables, plans).</summary>
    public IReadOnlyList<IConfigurationSection> Entries(IConfiguration parent, string key)
    {
        var section = parent.GetSection(key);
        if (section.Value is not null)
        {
            Error(section.Path, "expected a mapping, not a single value");
            return [];
        }

        return [.. section.GetChildren()];
    }

    /// <summary>The items of a list, in order.</summary>
    public IReadOnlyList<IConfigurationSection> Items(IConfiguration parent, string key)
    {
        var section = parent.GetSection(key);
        if (section.Value is not null)
        {
            Error(section.Path, "expected a list, not a single value");
            return [];
        }

        var children = section.GetChildren().ToList();
        if (!children.All(c => IsIndex(c.Key)))
        {
            Error(section.Path, "expected a list, not a mapping");
            return [];
        }

        return children;
    }

    /// <summary>A single value; null when absent (an error if <paramref name="required"/>) or not a single value.</summary>
    public string? Text(IConfiguration parent, string key, bool required = false)
    {
        var section = parent.GetSection(key);
        return Scalar(section, required);
    }

    public string? Scalar(IConfigurationSection section, bool required = false)
    {
        if (section.GetChildren().Any())
        {
            Error(section.Path, "expected a single value, not a mapping or list");
            return null;
        }

        if (string.IsNullOrWhiteSpace(section.Value))
        {
            if (required)
            {
                Error(section.Path, "required");
            }

            return null;
        }

        return section.Value;
    }

    /// <summary>One of a fixed set of names; the message lists them, since the operator cannot guess them.</summary>
    public T Choice<T>(IConfiguration parent, string key, IReadOnlyList<string> names, IReadOnlyList<T> values, T fallback, bool required = false)
    {
        var text = Text(parent, key, required);
        if (text is null)
        {
            return fallback;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], text, StringComparison.OrdinalIgnoreCase))
            {
                return values[i];
            }
        }

        Error(KeyOf(parent, key), $"unknown value '{text}' (expected {string.Join(" or ", names)}){DidYouMean(text, names)}");
        return fallback;
    }

    public TimeSpan Duration(IConfiguration parent, string key, TimeSpan fallback) => Duration(parent, key, fallback, allowZero: false);

    /// <summary>A duration; zero is allowed only where it means "off" (a cooldown of 0s).</summary>
    public TimeSpan Duration(IConfiguration parent, string key, TimeSpan fallback, bool allowZero)
    {
        var text = Text(parent, key);
        if (text is null)
        {
            return fallback;
        }

        if (!DurationText.TryParse(text, out var duration))
        {
            Error(KeyOf(parent, key), $"'{text}' is not a duration (write e.g. 15s, 1m30s, 250ms)");
            return fallback;
        }

        if (duration < TimeSpan.Zero || (duration == TimeSpan.Zero && !allowZero))
        {
            Error(KeyOf(parent, key), allowZero ? "must not be negative" : "must be greater than 0");
            return fallback;
        }

        return duration;
    }

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public int Int(IConfiguration parent, string key, int fallback, int min, int max)
    {
        var text = Text(parent, key);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(KeyOf(parent, key), $"'{text}' is not a whole number from {min} to {max}");
            return fallback;
        }

        return value;
    }

    public bool Bool(IConfiguration parent, string key, bool fallback)
    {
        var text = Text(parent, key);
        if (text is null)
        {
            return fallback;
        }

        if (!bool.TryParse(text, out var value))
        {
            Error(KeyOf(parent, key), $"'{text}' is not true or false");
            return fallback;
        }

        return value;
    }

    /// <summary>An absolute http or https URL.</summary>
    /// <param name="userinfoHint">
    /// When set, a user name or password in the URL is an error ending with this hint (what to use instead): the URL
    /// itself is shown in logs, explanations and the API, where credentials must not be.
    /// </param>
    public Uri? HttpUrl(IConfiguration parent, string key, bool required, string? userinfoHint = null)
    {
        var text = Text(parent, key, required);
        if (text is null)
        {
            return null;
        }

        // Quoted back redacted: an error message ends up in logs and terminals.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            Error(KeyOf(parent, key), $"'{Redaction.Url(text)}' is not an absolute http:// or https:// URL");
            return null;
        }

        if (userinfoHint is not null && url.UserInfo.Length > 0)
        {
            Error(KeyOf(parent, key), $"a user name or password in the URL is refused (it would show wherever the URL is shown); {userinfoHint}");
            return null;
        }

        return url;
    }

    /// <summary>A path, relative ones taken from the config file's folder.</summary>
    public string? FilePath(IConfiguration parent, string key, bool mustExist, string? fallback = null)
    {
        var text = Text(parent, key) ?? fallback;
        if (text is null)
        {
            return null;
        }

        var full = Resolve(text);
        if (mustExist && !File.Exists(full))
        {
            Error(KeyOf(parent, key), $"file not found: {full}");
        }

        return full;
    }

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(baseDirectory, path));

    /// <summary>A mapping of names to single values (variables, headers, step parameters).</summary>
    public Dictionary<string, string> StringMap(IEnumerable<IConfigurationSection> entries, StringComparer comparer)
    {
        var map = new Dictionary<string, string>(comparer);
        foreach (var entry in entries)
        {
            map[entry.Key] = Scalar(entry) ?? "";
        }

        return map;
    }

    private static bool IsIndex(string key) => int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
