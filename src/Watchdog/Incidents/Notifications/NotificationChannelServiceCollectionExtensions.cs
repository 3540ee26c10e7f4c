using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Plugins;

namespace Watchdog.Incidents.Notifications;

internal static class NotificationChannelServiceCollectionExtensions
{
    /// <summary>
    /// The one registration line of a channel kind: the kind <typeparamref name="T"/> declares
    /// (<c>notifications[i].kind: NAME</c>) in the <see cref="PluginRegistry"/>, and its factory, keyed by that name,
    /// through which <see cref="NotificationChannelRegistry.Create"/> makes one channel per configured entry.
    /// </summary>
    public static IServiceCollection AddNotificationChannel<T>(this IServiceCollection services)
        where T : INotificationChannel, INotificationChannelPlugin
    {
        services.Plugins().Add<T>(PluginKind.NotificationChannel);
        services.AddKeyedSingleton<Func<NotificationOptions, IServiceProvider, INotificationChannel>>(T.PluginName, (_, _) => T.Create);
        return services;
    }

    public static IServiceCollection AddNotificationChannels(this IServiceCollection services)
    {
        services.AddNotificationChannel<SlackNotificationChannel>();
        services.AddNotificationChannel<WebhookNotificationChannel>();
        return services;
    }
}
