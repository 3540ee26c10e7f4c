using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchdog.Configuration;

namespace Watchdog.Incidents.Notifications;

internal static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// The outbox (<see cref="INotificationOutbox"/>), one channel per <c>notifications:</c> entry, the dispatcher and
    /// the hosted loop that runs it. Needs an <see cref="IWatchdogStore"/> and a <see cref="TimeProvider"/> registered by the host,
    /// and the channel kinds the entries name (<see cref="NotificationChannelServiceCollectionExtensions.AddNotificationChannels"/>).
    /// </summary>
    /// <param name="dispatch">Retry and polling settings; the defaults (4 attempts, 1 s → 2 s → 4 s, 10 s per attempt) when null.</param>
    public static IServiceCollection AddWatchdogNotifications(this IServiceCollection services, WatchdogOptions options, NotificationDispatchOptions? dispatch = null)
    {
        ArgumentNullException.ThrowIfNull(options);

        NotificationHttpClient.Add(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(dispatch ?? options.Delivery);
        services.AddSingleton<INotificationOutbox>(new NotificationOutbox(options.Notifications));
        foreach (var channel in options.Notifications)
        {
            services.AddSingleton(provider => NotificationChannelRegistry.Create(channel, provider));
        }

        services.AddSingleton<NotificationChannelRegistry>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService<NotificationDispatchLoop>();
        return services;
    }
}
