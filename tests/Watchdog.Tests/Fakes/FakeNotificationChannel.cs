using System.Collections.Concurrent;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;

namespace Watchdog.Tests.Fakes;

/// <summary>A channel that answers each attempt from a script and remembers when (on the test's clock) each attempt came.</summary>
internal sealed class FakeNotificationChannel(string name, TimeProvider clock, Func<int, DeliveryResult> answer) : INotificationChannel
{
    private readonly ConcurrentQueue<DateTimeOffset> _attempts = new();

    public string Name => name;

    public IReadOnlyList<DateTimeOffset> Attempts => [.. _attempts];

    public Task<DeliveryResult> SendAsync(OutboxNotification notification, NotificationMessage message, CancellationToken cancellationToken)
    {
        _attempts.Enqueue(clock.GetUtcNow());
        return Task.FromResult(answer(_attempts.Count));
    }
}
