using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Watchdog.Configuration;
using Watchdog.Records;

namespace Watchdog.Incidents.Notifications;

/// <summary>A generic JSON webhook: the message as data, for receivers that route or display it themselves.</summary>
internal sealed class WebhookNotificationChannel(NotificationOptions options, IHttpClientFactory clients) : INotificationChannel, INotificationChannelPlugin
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The kind, <c>kind: webhook</c>; <see cref="Name"/> is the configured channel's own name.</summary>
    public static string PluginName => "webhook";

    // Nothing beyond the url, which the options reader checks alike for every kind.
    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters) => [];

    public static INotificationChannel Create(NotificationOptions options, IServiceProvider services) =>
        new WebhookNotificationChannel(options, services.GetRequiredService<IHttpClientFactory>());

    public string Name => options.Name;

    public Task<DeliveryResult> SendAsync(OutboxNotification notification, NotificationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(message);

        // Insertion order is the message's field order; receivers that print the object keep the runbook's order.
        var fields = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in message.Fields)
        {
            fields[field.Key] = field.Value;
        }

        var payload = new WebhookPayload(
            notification.EventKey, message.Kind, message.Title, fields, message.Text, notification.IncidentId, MessageFormat.IsoTimestamp(notification.CreatedAt));
        var json = JsonSerializer.Serialize(payload, Json);
        return NotificationHttp.PostJsonAsync(clients.CreateClient(NotificationHttp.ClientName), options.Url, json, notification.EventKey, options.Name, cancellationToken);
    }
}
