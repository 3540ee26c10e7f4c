using Watchdog.Configuration;
using Watchdog.Plugins;

namespace Watchdog.Flags;

/// <summary>
/// What a provider kind declares for <see cref="FlagProviderServiceCollectionExtensions.AddFlagProvider{T}"/>: its kind
/// name and parameter check (<see cref="IPlugin"/>), and how one configured provider of the kind is made.
/// </summary>
internal interface IFlagProviderPlugin : IPlugin
{
    /// <summary>The provider for one <c>flags:</c> entry of this kind, with what it needs from <paramref name="services"/>.</summary>
    static abstract IFlagProvider Create(FlagProviderOptions options, IServiceProvider services);
}
