using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>
/// A store whose alert list fails while <see cref="Unreadable"/> is set and that counts the looks for alerts seen
/// since a time; everything else passes through.
/// </summary>
internal sealed class UnreadableStore(IWatchdogStore inner) : DelegatingStore(inner)
{
    public bool Unreadable { get; set; }

    public int SeenSinceReads { get; private set; }

    public override Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, CancellationToken cancellationToken) => Unreadable
        ? throw new InvalidOperationException("the store cannot be read (UnreadableStore)")
        : base.ListAlertsAsync(limit, cancellationToken);

    public override Task<IReadOnlyList<ReceivedAlert>> ListAlertsSeenSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        SeenSinceReads++;
        return base.ListAlertsSeenSinceAsync(since, limit, cancellationToken);
    }
}
