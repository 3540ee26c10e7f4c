using Microsoft.Extensions.DependencyInjection;
using Watchdog.Plugins;
using Watchdog.Signals.Health;
using Watchdog.Signals.Prometheus;

namespace Watchdog.Signals;

internal static class SignalSourceServiceCollectionExtensions
{
    /// <summary>
    /// Enters the source kind <typeparamref name="T"/> declares (<c>signals.X.source: NAME</c>) in the registry.
    /// The source itself is registered by its folder's <c>Add...</c> method, which needs the loaded options.
    /// </summary>
    public static IServiceCollection AddSignalSourceKind<T>(this IServiceCollection services)
        where T : ISignalSource, IPlugin
    {
        services.Plugins().Add<T>(PluginKind.SignalSource);
        return services;
    }

    /// <summary>The source kinds of this folder. Alerts are read as <c>alert:NAME</c> in policies, not through <c>signals:</c>.</summary>
    public static IServiceCollection AddSignalSourceKinds(this IServiceCollection services)
    {
        services.AddSignalSourceKind<PrometheusSignalSource>();
        services.AddSignalSourceKind<HealthProbeSource>();
        return services;
    }
}
