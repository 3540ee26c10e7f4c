using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchdog.Configuration;
using Watchdog.Flags.Http;
using Watchdog.Flags.Unleash;
using Watchdog.Plugins;
using Watchdog.Telemetry;

namespace Watchdog.Flags;

internal static class FlagProviderServiceCollectionExtensions
{
    /// <summary>
    /// The one registration line of a provider kind: the kind <typeparamref name="T"/> declares
    /// (<c>flags[i].kind: NAME</c>) in the <see cref="PluginRegistry"/>, and its factory, keyed by that name, through
    /// which <see cref="AddWatchdogFlags"/> makes one provider per configured entry.
    /// </summary>
    public static IServiceCollection AddFlagProvider<T>(this IServiceCollection services)
        where T : IFlagProvider, IFlagProviderPlugin
    {
        services.Plugins().Add<T>(PluginKind.FlagProvider);
        services.AddKeyedSingleton<Func<FlagProviderOptions, IServiceProvider, IFlagProvider>>(T.PluginName, (_, _) => T.Create);
        return services;
    }

    public static IServiceCollection AddFlagProviders(this IServiceCollection services)
    {
        services.AddFlagProvider<UnleashFlagProvider>();
        services.AddFlagProvider<HttpFlagProvider>();
        return services;
    }

    /// <summary>
    /// One provider per <c>flags:</c> entry, each with its own HTTP client (its timeout and answer limit), and
    /// <see cref="IFlagProviders"/> over them. Needs the kinds the entries name (<see cref="AddFlagProviders"/>).
    /// </summary>
    public static IServiceCollection AddWatchdogFlags(this IServiceCollection services, IReadOnlyList<FlagProviderOptions> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        services.TryAddSingleton(TimeProvider.System);
        foreach (var options in flags)
        {
            FlagHttpClient.Add(services, options);
            services.AddSingleton(provider =>
            {
                // The configuration loader accepts only registered kinds; reaching here means a wiring bug.
                var create = provider.GetKeyedService<Func<FlagProviderOptions, IServiceProvider, IFlagProvider>>(options.Kind)
                    ?? throw new InvalidOperationException($"flag provider '{options.Name}': kind '{options.Kind}' is not registered");
                return create(options, provider);
            });
        }

        // Every provider reports what it read and set to watchdog_flag_rollout_percent, when the host exports metrics.
        services.AddSingleton<IFlagProviders>(provider => new FlagProviders(
            provider.GetService<FlagRolloutGauge>() is { } gauge
                ? provider.GetServices<IFlagProvider>().Select(p => (IFlagProvider)new GaugedFlagProvider(p, gauge))
                : provider.GetServices<IFlagProvider>()));
        return services;
    }
}
