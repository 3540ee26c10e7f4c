using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Flags;
using Watchdog.Incidents.Notifications;
using Watchdog.Plugins;
using Watchdog.Signals;

namespace Watchdog.Hosting;

/// <summary>
/// Every plug-in this build ships, one call per folder; each folder holds one registration line per plug-in. The
/// daemon registers them with its services, and configuration is validated against the same registry, which
/// <see cref="Registry"/> makes without building the daemon (for <c>watchdog validate</c>).
/// </summary>
internal static class WatchdogPlugins
{
    public static IServiceCollection AddWatchdogPlugins(this IServiceCollection services)
    {
        services.AddBuiltInActions();
        services.AddKubernetesActions();
        services.AddSignalSources();
        services.AddNotificationChannels();
        services.AddFlagProviders();
        return services;
    }

    /// <summary>The registry of <see cref="AddWatchdogPlugins"/>, read from a service collection that is then dropped.</summary>
    public static PluginRegistry Registry() => new ServiceCollection().AddWatchdogPlugins().Plugins();
}
