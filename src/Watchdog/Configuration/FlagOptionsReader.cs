using Microsoft.Extensions.Configuration;
using Watchdog.Plugins;

namespace Watchdog.Configuration;

/// <summary>
/// The <c>flags</c> list: each provider's name, kind (from the plug-in registry), URL, token and limits; every other
/// key goes to the kind's own validator as a parameter, so a kind owns its settings and their errors.
/// </summary>
internal sealed class FlagOptionsReader(ConfigReader reader, PluginRegistry plugins)
{
    // A flag's state is a few KiB; past 64 MiB an answer is a misconfigured URL, not a flag.
    private const int MaxResponseLimit = 64 * 1024 * 1024;

    private static readonly string[] CommonKeys = ["name", "kind", "url", "token", "token_file", "token_env", "timeout", "max_response_bytes"];

    private readonly PluginKindReader _kinds = new(reader, plugins);

    public List<FlagProviderOptions> Read(IConfiguration root)
    {
        var providers = new List<FlagProviderOptions>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var defaults = new FlagProviderOptions();
        foreach (var item in reader.Items(root, "flags"))
        {
            var name = reader.Text(item, "name", required: true) ?? "";
            if (name.Length > 0 && !names.TryAdd(name, item.Path))
            {
                reader.Error(ConfigReader.KeyOf(item, "name"), $"duplicate flag provider name '{name}' (also at {ConfigOrigins.DisplayPath(names[name])})");
            }

            var kind = _kinds.Read(item, "kind", PluginKind.FlagProvider, fallback: null, out var plugin);
            var parameters = ReadParameters(item);
            _kinds.Validate(item, plugin, parameters, [.. parameters.Keys.Select(TopKey).Distinct(StringComparer.Ordinal)]);

            // The value is never quoted back: an error message ends up in logs and terminals.
            var token = reader.Text(item, "token");
            var tokenFile = reader.FilePath(item, "token_file", mustExist: true);
            var tokenEnv = ReadVariableName(item);
            var set = new[] { token, tokenFile, tokenEnv }.Count(t => t is not null);
            if (set > 1 || (set == 0 && kind == FlagProviderOptions.UnleashKind))
            {
                reader.Error(item.Path, kind == FlagProviderOptions.UnleashKind
                    ? "set exactly one of token, token_file and token_env (an Unleash admin API token)"
                    : "set at most one of token, token_file and token_env");
            }

            providers.Add(new FlagProviderOptions
            {
                Name = name,
                Kind = kind,
                Url = reader.HttpUrl(item, "url", required: true, userinfoHint: "use token, token_file or token_env instead") ?? defaults.Url,
                Token = token,
                TokenFile = tokenFile,
                TokenEnv = tokenEnv,
                Timeout = reader.Duration(item, "timeout", defaults.Timeout),
                MaxResponseBytes = reader.Int(item, "max_response_bytes", (int)defaults.MaxResponseBytes, 1024, MaxResponseLimit),
                Parameters = parameters,
            });
        }

        return providers;
    }

    private string? ReadVariableName(IConfigurationSection item)
    {
        var variable = reader.Text(item, "token_env");
        if (variable is null)
        {
            return null;
        }

        if (!variable.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(variable[0]))
        {
            reader.Error(ConfigReader.KeyOf(item, "token_env"), $"'{variable}' is not an environment variable name (letters, digits and _, not starting with a digit)");
            return null;
        }

        // A warning, not an error: `watchdog validate` may run where the daemon's secrets are not.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            reader.Warning(ConfigReader.KeyOf(item, "token_env"), $"environment variable {variable} is not set here; every call of this provider fails until it is");
        }

        return variable;
    }

    // The kind's keys, flattened one level as plan steps' are (headers: {X-Team: a} is headers.X-Team).
    private Dictionary<string, string> ReadParameters(IConfigurationSection item)
    {
        var all = PlanStepParameters.Read(reader, item);
        if (item.GetSection("action").Exists())
        {
            // The one key the plan-step flattening skips; here it means nothing.
            reader.Error(ConfigReader.KeyOf(item, "action"), "unknown key: a flag provider has no action (steps name the provider with provider:)");
        }

        foreach (var key in all.Keys.ToList())
        {
            var top = TopKey(key);
            if (CommonKeys.Contains(top, StringComparer.OrdinalIgnoreCase))
            {
                all.Remove(key);
            }
            else if (ConfigReader.DidYouMean(top, CommonKeys) is { Length: > 0 } hint)
            {
                // A misspelt common key (timeot) is told here, where those keys are known; the kind would only call it unknown.
                reader.Error(ConfigReader.KeyOf(item, top), $"unknown key{hint}");
                all.Remove(key);
            }
        }

        return all;
    }

    private static string TopKey(string key) => key.Split('.', 2)[0];
}
