namespace Watchdog.Plugins;

/// <summary>
/// What a plug-in type declares once, on itself, for the <see cref="PluginRegistry"/>: the name configuration uses
/// and the check of the parameters written under that name. Static, so configuration is validated before any
/// plug-in is constructed (<c>watchdog validate</c> builds no daemon), and abstract, so a plug-in without either
/// does not compile.
/// </summary>
internal interface IPlugin
{
    /// <summary>The name configuration uses; unique within the plug-in's <see cref="PluginKind"/>.</summary>
    static abstract string PluginName { get; }

    /// <summary>
    /// Every problem with the parameters written under this plug-in's name, one message each (<c>"timeout: '5x' is
    /// not a duration"</c>), so configuration errors are reported all at once; empty when valid.
    /// </summary>
    static abstract IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters);
}
