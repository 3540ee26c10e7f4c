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

    /// <summary>The channel kind's implementation for one <c>notifications:</c> entry.</summary>
    public static INotificationChannel Create(NotificationOptions options, IHttpClientFactory clients)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            NotificationKind.Slack => new SlackNotificationChannel(options, clients),
            NotificationKind.Webhook => new WebhookNotificationChannel(options, clients),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown notification kind"),
        };
    }
}
