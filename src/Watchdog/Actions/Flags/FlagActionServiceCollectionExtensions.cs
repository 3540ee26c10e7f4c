using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchdog.Flags;

namespace Watchdog.Actions.Flags;

internal static class FlagActionServiceCollectionExtensions
{
    /// <summary>
    /// The flag steps. They use the <see cref="IFlagProviders"/> the flag providers register, and the host's
    /// <see cref="ITargetSignals"/>; until a provider is registered, none is found and a flag step fails saying so.
    /// </summary>
    public static IServiceCollection AddFlagActions(this IServiceCollection services)
    {
        services.AddAction<FlagReduceAction>();
        services.AddAction<FlagDisableAction>();

        // TryAdd: the providers' own registration wins, whichever comes first (theirs with Add replaces it as the last one).
        services.TryAddSingleton<IFlagProviders, NoFlagProviders>();
        return services;
    }
}
