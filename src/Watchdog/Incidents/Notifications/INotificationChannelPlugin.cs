using Watchdog.Configuration;
using Watchdog.Plugins;

namespace Watchdog.Incidents.Notifications;

/// <summary>
/// What a channel kind declares for <see cref="NotificationChannelServiceCollectionExtensions.AddNotificationChannel{T}"/>:
/// its kind name and parameter check (<see cref="IPlugin"/>), and how one configured channel of the kind is made.
/// </summary>
internal interface INotificationChannelPlugin : IPlugin
{
    /// <summary>The channel for one <c>notifications:</c> entry of this kind, with what it needs from <paramref name="services"/>.</summary>
    static abstract INotificationChannel Create(NotificationOptions options, IServiceProvider services);
}
