namespace Watchdog.Telemetry;

/// <summary>
/// Counts that live in the store, as <see cref="StoreGaugeSampler"/> last read them: a scrape must never wait for
/// (or fail with) the store, so the gauges report the last sample.
/// </summary>
internal sealed class StoreGauges
{
    private long _pendingApprovals;
    private long _openIncidents;
    private double _oldestPendingApprovalAge;
    private double _oldestOpenIncidentAge;

    public long PendingApprovals => Interlocked.Read(ref _pendingApprovals);

    public long OpenIncidents => Interlocked.Read(ref _openIncidents);

    public double OldestPendingApprovalAge => Volatile.Read(ref _oldestPendingApprovalAge);

    public double OldestOpenIncidentAge => Volatile.Read(ref _oldestOpenIncidentAge);

    public void Update(long pendingApprovals, TimeSpan oldestPendingApproval, long openIncidents, TimeSpan oldestOpenIncident)
    {
        Interlocked.Exchange(ref _pendingApprovals, pendingApprovals);
        Interlocked.Exchange(ref _openIncidents, openIncidents);
        Volatile.Write(ref _oldestPendingApprovalAge, Math.Max(0, oldestPendingApproval.TotalSeconds));
        Volatile.Write(ref _oldestOpenIncidentAge, Math.Max(0, oldestOpenIncident.TotalSeconds));
    }
}
