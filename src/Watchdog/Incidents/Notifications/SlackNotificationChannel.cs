using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Watchdog.Configuration;
using Watchdog.Records;

namespace Watchdog.Incidents.Notifications;

/// <summary>A Slack incoming webhook (or anything that speaks its <c>{"text": ...}</c> payload): the runbook block in a code block.</summary>
internal sealed class SlackNotificationChannel(NotificationOptions options, IHttpClientFactory clients) : INotificationChannel, INotificationChannelPlugin
{
    /// <summary>The kind, <c>kind: slack</c>; <see cref="Name"/> is the configured channel's own name.</summary>
    public static string PluginName => NotificationOptions.SlackKind;

    // Nothing beyond the url, which the options reader checks alike for every kind.
    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters) => [];

    public static INotificationChannel Create(NotificationOptions options, IServiceProvider services) =>
        new SlackNotificationChannel(options, services.GetRequiredService<IHttpClientFactory>());

    public string Name => options.Name;

    public Task<DeliveryResult> SendAsync(OutboxNotification notification, NotificationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var json = JsonSerializer.Serialize(new SlackPayload(Payload(message)));
        return NotificationHttp.PostJsonAsync(clients.CreateClient(NotificationHttp.ClientName), options.Url, json, notification.EventKey, options.Name, cancellationToken);
    }

    // A code block keeps the runbook's layout: Slack would otherwise reflow the lines and drop the underline's alignment.
    public static string Payload(NotificationMessage message) => $"```\n{NotificationText.Render(message)}\n```";
}
