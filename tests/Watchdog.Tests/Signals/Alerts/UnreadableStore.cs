using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>A store whose alert list fails while <see cref="Unreadable"/> is set; everything else passes through.</summary>
internal sealed class UnreadableStore(IWatchdogStore inner) : DelegatingStore(inner)
{
    public bool Unreadable { get; set; }

    public override Task<IReadOnlyList<ReceivedAlert>> ListAlertsAsync(int limit, CancellationToken cancellationToken) => Unreadable
        ? throw new InvalidOperationException("the store cannot be read (UnreadableStore)")
        : base.ListAlertsAsync(limit, cancellationToken);
}
