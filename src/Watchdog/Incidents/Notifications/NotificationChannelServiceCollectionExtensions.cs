using Microsoft.Extensions.DependencyInjection;
using Watchdog.Plugins;

namespace Watchdog.Incidents.Notifications;

internal static class NotificationChannelServiceCollectionExtensions
{
    /// <summary>
    /// Enters the channel kind <typeparamref name="T"/> declares (<c>notifications[i].kind: NAME</c>) in the registry.
    /// One channel per configured entry is made by <c>AddWatchdogNotifications</c>, from the loaded options.
    /// </summary>
    public static IServiceCollection AddNotificationChannelKind<T>(this IServiceCollection services)
        where T : INotificationChannel, IPlugin
    {
        services.Plugins().Add<T>(PluginKind.NotificationChannel);
        return services;
    }

    public static IServiceCollection AddNotificationChannelKinds(this IServiceCollection services)
    {
        services.AddNotificationChannelKind<SlackNotificationChannel>();
        services.AddNotificationChannelKind<WebhookNotificationChannel>();
        return services;
    }
}
