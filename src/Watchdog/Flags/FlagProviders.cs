namespace Watchdog.Flags;

/// <summary>The configured providers by name, in the order <c>flags:</c> lists them.</summary>
internal sealed class FlagProviders : IFlagProviders
{
    private readonly List<IFlagProvider> _providers;

    public FlagProviders(IEnumerable<IFlagProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = [.. providers];

        // The configuration loader rejects duplicate names; reaching here means a wiring bug.
        if (_providers.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"two flag providers are named '{twice.Key}'");
        }
    }

    public IFlagProvider? Find(string? name) => name is null
        ? (_providers.Count == 1 ? _providers[0] : null)
        : _providers.Find(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
