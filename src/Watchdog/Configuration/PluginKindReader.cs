using Microsoft.Extensions.Configuration;
using Watchdog.Plugins;

namespace Watchdog.Configuration;

/// <summary>
/// Reads a key that names a plug-in (<c>signals.X.source</c>, <c>notifications[i].kind</c>) against the registry, and
/// reports what the plug-in's own validator finds, each problem at its key.
/// </summary>
internal sealed class PluginKindReader(ConfigReader reader, PluginRegistry plugins)
{
    /// <summary>
    /// The name of the registered plug-in named at <paramref name="key"/> (names compare as the operator may write them,
    /// in any case; the name returned is the plug-in's own). Missing or unknown, an error, and <paramref name="fallback"/>
    /// with its plug-in, so what is written under the key is still checked and every error is reported in one pass;
    /// without a fallback, an empty name and no plug-in.
    /// </summary>
    public string Read(IConfiguration parent, string key, PluginKind kind, string? fallback, out PluginEntry? plugin)
    {
        var names = plugins.Names(kind);
        plugin = fallback is null ? null : plugins.Find(kind, fallback);
        var text = reader.Text(parent, key, required: true);
        if (text is null)
        {
            return fallback ?? "";
        }

        var name = names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (name is not null)
        {
            plugin = plugins.Find(kind, name);
            return name;
        }

        reader.Error(ConfigReader.KeyOf(parent, key), $"unknown value '{text}' (expected {string.Join(" or ", names)}){ConfigReader.DidYouMean(text, names)}");
        return fallback ?? "";
    }

    /// <summary>Runs the plug-in's validator on <paramref name="parameters"/>; a "key: problem" message about one of <paramref name="keys"/> is reported at that key, any other at the parent.</summary>
    public void Validate(IConfigurationSection parent, PluginEntry? plugin, IReadOnlyDictionary<string, string> parameters, IReadOnlyCollection<string> keys)
    {
        foreach (var problem in plugin?.ValidateParameters(parameters) ?? [])
        {
            var colon = problem.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && keys.Contains(problem[..colon], StringComparer.Ordinal))
            {
                reader.Error(ConfigReader.KeyOf(parent, problem[..colon]), problem[(colon + 2)..]);
            }
            else
            {
                reader.Error(parent.Path, problem);
            }
        }
    }
}
