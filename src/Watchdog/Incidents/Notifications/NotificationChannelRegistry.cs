using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;

namespace Watchdog.Incidents.Notifications;

/// <summary>The configured channels by name, as the outbox rows name them.</summary>
internal sealed class NotificationChannelRegistry
{
    private readonly Dictionary<string, INotificationChannel> _byName = new(StringComparer.Ordinal);

    public NotificationChannelRegistry(IEnumerable<INotificationChannel> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        foreach (var channel in channels)
        {
            // The configuration loader rejects duplicate names; reaching here means a wiring bug.
            if (!_byName.TryAdd(channel.Name, channel))
            {
                throw new InvalidOperationException($"two notification channels are named '{channel.Name}'");
            }
        }
    }

    public INotificationChannel? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// The channel kind's implementation for one <c>notifications:</c> entry, by the factory its registration line
    /// keyed with the kind's name (<see cref="NotificationChannelServiceCollectionExtensions.AddNotificationChannel{T}"/>).
    /// </summary>
    public static INotificationChannel Create(NotificationOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);

        // The configuration loader accepts only registered kinds; reaching here means a wiring bug.
        var create = services.GetKeyedService<Func<NotificationOptions, IServiceProvider, INotificationChannel>>(options.Kind)
            ?? throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown notification kind");
        return create(options, services);
    }
}
