using Microsoft.Extensions.DependencyInjection;

namespace Watchdog.Plugins;

internal static class PluginServiceCollectionExtensions
{
    /// <summary>
    /// The registry of this service collection, made and registered as a singleton on first use, so every
    /// registration line enters its plug-in in the same one and the daemon resolves the registry it validated against.
    /// </summary>
    public static PluginRegistry Plugins(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.FirstOrDefault(d => d.ServiceType == typeof(PluginRegistry) && !d.IsKeyedService)?.ImplementationInstance is PluginRegistry existing)
        {
            return existing;
        }

        var registry = new PluginRegistry();
        services.AddSingleton(registry);
        return registry;
    }
}
