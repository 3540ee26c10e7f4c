using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Notifications;

/// <summary>
/// The notification services as the daemon wires them (<see cref="NotificationServiceCollectionExtensions.AddWatchdogNotifications"/>),
/// over the in-memory store and the real HTTP stack, with every log entry recorded.
/// </summary>
internal sealed class NotificationScenario : IAsyncDisposable
{
    /// <summary>Short waits so a test of three attempts takes milliseconds; the attempt timeout stays generous so a slow machine does not time out.</summary>
    public static readonly NotificationDispatchOptions FastRetries = new()
    {
        MaxAttempts = 3,
        FirstRetryDelay = TimeSpan.FromMilliseconds(10),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private NotificationScenario(ServiceProvider services, InMemoryWatchdogStore store, RecordingLoggerProvider logs)
    {
        Services = services;
        Store = store;
        Logs = logs;
    }

    public ServiceProvider Services { get; }

    public InMemoryWatchdogStore Store { get; }

    public RecordingLoggerProvider Logs { get; }

    public NotificationDispatcher Dispatcher => Services.GetRequiredService<NotificationDispatcher>();

    /// <param name="time">The clock the dispatcher and the HTTP client's retries wait on; the system's when null.</param>
    public static NotificationScenario Create(IReadOnlyList<NotificationOptions> channels, NotificationDispatchOptions? dispatch = null, TimeProvider? time = null)
    {
        var store = new InMemoryWatchdogStore();
        var logs = new RecordingLoggerProvider();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton<IWatchdogStore>(store)
            .AddSingleton(time ?? TimeProvider.System)
            .AddNotificationChannels()
            .AddWatchdogNotifications(new WatchdogOptions { Notifications = channels }, dispatch ?? FastRetries)
            .BuildServiceProvider();
        return new NotificationScenario(services, store, logs);
    }

    public static NotificationOptions Slack(Uri url, string name = "ops-slack") => new() { Name = name, Kind = "slack", Url = url };

    public static NotificationOptions Webhook(Uri url, string name = "pager") => new() { Name = name, Kind = "webhook", Url = url };

    public async Task<long> OpenIncidentAsync()
    {
        await using var transaction = await Store.BeginAsync(CancellationToken.None);
        var incident = await transaction.InsertIncidentAsync(
            new Incident
            {
                Target = "checkout",
                Policy = "runbook-matrix",
                DetectedAt = Now,
                TriggerRule = "error-rate-high",
                TriggerAction = DecisionAction.Rollback,
                TriggerAuthority = Authority.Automatic,
                TriggerSummary = "error_rate 0.12 > 0.10",
            },
            CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return incident.Id;
    }

    /// <summary>Queues through the real outbox, as the executor does.</summary>
    public async Task<int> EnqueueAsync(long? incidentId, string eventKey, NotificationMessage message)
    {
        var outbox = Services.GetRequiredService<INotificationOutbox>();
        await using var transaction = await Store.BeginAsync(CancellationToken.None);
        var queued = await outbox.EnqueueAsync(transaction, incidentId, eventKey, message, Now, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return queued;
    }

    public async Task<OutboxNotification> SingleNotificationAsync() =>
        (await Store.ListNotificationsAsync(null, null, 100, CancellationToken.None)).ShouldHaveSingleItem();

    public Task<IReadOnlyList<IncidentEvent>> TimelineAsync(long incidentId) => Store.GetTimelineAsync(incidentId, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Store.DisposeAsync();
    }
}
