using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Watchdog.Records;

namespace Watchdog.Telemetry;

/// <summary>A thin loop around <see cref="SampleOnceAsync"/>: reads the store's counts for <see cref="StoreGauges"/>.</summary>
internal sealed class StoreGaugeSampler(IWatchdogStore store, StoreGauges gauges, TimeProvider time, ILogger<StoreGaugeSampler> logger) : BackgroundService
{
    /// <summary>Often enough for the rules' 15- and 30-minute thresholds, rarely enough to cost the store nothing.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    // More open incidents than this is a storm the gauge still shows as this many; the list must stay a bounded read.
    private const int MaxCounted = 10_000;

    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            await SampleOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Never throws but on cancellation: a store outage leaves the last sample standing.</summary>
    public async Task SampleOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            var pending = await store.ListApprovalsAsync(ApprovalStatus.Pending, cancellationToken);
            var open = await store.ListIncidentsAsync(new IncidentQuery(IncidentStatus.Open, Limit: MaxCounted), cancellationToken);
            if (_failing)
            {
                _failing = false;
                TelemetryLog.StoreSampleRecovered(logger);
            }

            gauges.Update(
                pending.Count,
                pending.Count == 0 ? TimeSpan.Zero : now - pending.Min(a => a.RequestedAt),
                open.Count,
                open.Count == 0 ? TimeSpan.Zero : now - open.Min(i => i.DetectedAt));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // By design: swallow. The store may be down a moment; the gauges keep their last values until it answers.
            // Said once per outage, not every 5 s: the store's own readiness check reports the outage too.
            if (!_failing)
            {
                _failing = true;
                TelemetryLog.StoreSampleFailed(logger, ex);
            }
        }
    }
}
