using Watchdog.Flags;

namespace Watchdog.Actions.Flags;

/// <summary>
/// The parameters every flag step takes, in the same words for each: <c>flag</c> (required), and <c>provider</c>,
/// <c>project</c>, <c>environment</c> where the provider's configuration does not say them already.
/// </summary>
internal static class FlagStepParameters
{
    public static readonly string[] Common = ["flag", "provider", "project", "environment"];

    /// <summary>Adds the problems with the common parameters and one for each parameter not in <paramref name="known"/>.</summary>
    public static void Check(IReadOnlyDictionary<string, string> parameters, IReadOnlyList<string> known, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(parameters.GetValueOrDefault("flag")))
        {
            errors.Add("flag: required, the flag's name");
        }

        foreach (var key in new[] { "provider", "project", "environment" })
        {
            if (parameters.TryGetValue(key, out var value) && string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{key}: empty (leave it out for the default)");
            }
        }

        foreach (var key in parameters.Keys.Where(k => !known.Contains(k)))
        {
            errors.Add($"{key}: unknown parameter ({string.Join(", ", known)})");
        }
    }

    public static FlagRef Flag(IReadOnlyDictionary<string, string> parameters) =>
        new(parameters["flag"], parameters.GetValueOrDefault("project"), parameters.GetValueOrDefault("environment"));

    /// <summary>The step's provider, or why there is none, in words for the incident.</summary>
    public static IFlagProvider? Provider(IFlagProviders providers, IReadOnlyDictionary<string, string> parameters, out string? missing)
    {
        var name = parameters.GetValueOrDefault("provider");
        var provider = providers.Find(name);
        missing = provider is not null ? null
            : name is null ? "no flag provider is configured (or several are, and the step names none: set provider)"
            : $"no flag provider named '{name}' is configured";
        return provider;
    }
}
