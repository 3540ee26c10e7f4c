using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchdog.Plugins;
using Watchdog.Signals.Health;
using Watchdog.Signals.Prometheus;

namespace Watchdog.Signals;

internal static class SignalSourceServiceCollectionExtensions
{
    /// <summary>
    /// The one registration line of a signal source: the kind <typeparamref name="T"/> declares
    /// (<c>signals.X.source: NAME</c>) in the <see cref="PluginRegistry"/>, and <typeparamref name="T"/> as an
    /// <see cref="ISignalSource"/> with what it adds (<see cref="ISignalSourcePlugin.AddServices"/>). The source gets
    /// the loaded options from the container (the host registers <see cref="Configuration.WatchdogOptions"/>) and
    /// provides nothing that no signal of its kind asks for.
    /// </summary>
    public static IServiceCollection AddSignalSource<T>(this IServiceCollection services)
        where T : class, ISignalSource, ISignalSourcePlugin
    {
        services.Plugins().Add<T>(PluginKind.SignalSource);
        T.AddServices(services);

        // A source that registered its own factory in AddServices keeps it.
        services.TryAddSingleton<T>();
        services.AddSingleton<ISignalSource>(provider => provider.GetRequiredService<T>());
        return services;
    }

    /// <summary>
    /// The sources of this folder, in the order the watch cycle asks them. Alerts are read as <c>alert:NAME</c> in
    /// policies, not through <c>signals:</c>, and come with the intake (<c>AddAlertIntake</c>).
    /// </summary>
    public static IServiceCollection AddSignalSources(this IServiceCollection services)
    {
        services.AddSignalSource<PrometheusSignalSource>();
        services.AddSignalSource<HealthProbeSource>();
        return services;
    }
}
