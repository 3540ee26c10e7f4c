using Microsoft.Extensions.DependencyInjection;
using Watchdog.Plugins;

namespace Watchdog.Signals;

/// <summary>
/// What a signal source declares for <see cref="SignalSourceServiceCollectionExtensions.AddSignalSource{T}"/>: its
/// name and parameter check (<see cref="IPlugin"/>), and the services it needs beside itself.
/// </summary>
internal interface ISignalSourcePlugin : IPlugin
{
    /// <summary>
    /// Registers what the source needs beyond the host's services (an HTTP client, a factory for the source itself).
    /// Registered before the configuration is loaded, so nothing here may read it: the source reads the loaded
    /// <see cref="Configuration.WatchdogOptions"/> when it is first resolved. None by default.
    /// </summary>
    static virtual void AddServices(IServiceCollection services)
    {
    }
}
