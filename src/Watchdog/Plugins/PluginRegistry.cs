namespace Watchdog.Plugins;

/// <summary>
/// The plug-ins of this build by kind and name, read from the plug-ins themselves (<see cref="IPlugin"/>), so
/// configuration is validated against exactly what the daemon registers. Filled by the one registration line of
/// each plug-in (<see cref="PluginServiceCollectionExtensions.Plugins"/>).
/// </summary>
internal sealed class PluginRegistry
{
    private readonly Dictionary<(PluginKind, string), PluginEntry> _entries = [];
    private readonly List<(PluginKind Kind, string Name)> _announced = [];

    public IReadOnlyCollection<PluginEntry> Entries => _entries.Values;

    /// <summary>Enters <typeparamref name="T"/> under the name it declares.</summary>
    /// <exception cref="InvalidOperationException">Another plug-in of the kind has the name: a programming error, caught at start-up.</exception>
    public PluginRegistry Add<T>(PluginKind kind)
        where T : IPlugin
    {
        var entry = new PluginEntry(kind, T.PluginName, T.ValidateParameters, typeof(T));
        if (_announced.Contains((kind, entry.Name)) || !_entries.TryAdd((kind, entry.Name), entry))
        {
            throw new InvalidOperationException($"Two {Describe(kind)} plug-ins are registered as '{entry.Name}'.");
        }

        return this;
    }

    /// <summary>A name a later version brings: configuration may use it already, with a warning instead of an error.</summary>
    public PluginRegistry Announce(PluginKind kind, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_entries.ContainsKey((kind, name)) || _announced.Contains((kind, name)))
        {
            throw new InvalidOperationException($"The {Describe(kind)} name '{name}' is registered or announced twice.");
        }

        _announced.Add((kind, name));
        return this;
    }

    public PluginEntry? Find(PluginKind kind, string name) => _entries.GetValueOrDefault((kind, name));

    /// <summary>The registered names of a kind, in the order they were registered.</summary>
    public IReadOnlyList<string> Names(PluginKind kind) => [.. _entries.Values.Where(e => e.Kind == kind).Select(e => e.Name)];

    public bool IsAnnounced(PluginKind kind, string name) => _announced.Contains((kind, name));

    public IReadOnlyList<string> Announced(PluginKind kind) => [.. _announced.Where(a => a.Kind == kind).Select(a => a.Name)];

    private static string Describe(PluginKind kind) => kind switch
    {
        PluginKind.Action => "action",
        PluginKind.SignalSource => "signal source",
        PluginKind.NotificationChannel => "notification channel",
        _ => "flag provider",
    };
}
