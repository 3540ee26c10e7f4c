namespace Watchdog.Configuration;

/// <summary>
/// The check a flag step's optional <c>provider:</c> needs against <c>flags:</c>, for the flag actions' cross checks:
/// it must name a configured provider, and may be left out only when exactly one is configured.
/// </summary>
internal static class FlagProviderReference
{
    /// <summary>What is wrong with <paramref name="provider"/> (null: not written), or null when it resolves to one provider.</summary>
    public static string? Problem(IReadOnlyList<FlagProviderOptions> flags, string? provider)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var names = flags.Select(f => f.Name).ToList();
        if (flags.Count == 0)
        {
            return "no flag provider is configured: add one under flags:";
        }

        if (string.IsNullOrWhiteSpace(provider))
        {
            return flags.Count == 1 ? null : $"several flag providers are configured ({string.Join(", ", names)}): name one with provider:";
        }

        return names.Contains(provider, StringComparer.Ordinal)
            ? null
            : $"unknown flag provider '{provider}' (configured: {string.Join(", ", names)}){ConfigReader.DidYouMean(provider, names)}";
    }
}
