namespace Watchdog.Plugins;

/// <summary>One registered plug-in: its kind, the name it declares, its parameter check and the type that declares them.</summary>
internal sealed record PluginEntry(
    PluginKind Kind,
    string Name,
    Func<IReadOnlyDictionary<string, string>, IReadOnlyList<string>> ValidateParameters,
    Type PluginType)
{
    /// <summary>Its steps change a feature flag (<see cref="IFlagStep"/>), so they need a configured flag provider.</summary>
    public bool ChangesFlags => typeof(IFlagStep).IsAssignableFrom(PluginType);
}
