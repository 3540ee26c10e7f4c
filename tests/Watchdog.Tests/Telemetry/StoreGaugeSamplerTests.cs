using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Telemetry;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Telemetry;

public sealed class StoreGaugeSamplerTests
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly StoreGauges _gauges = new();
    private readonly RecordingLogger<StoreGaugeSampler> _log = new();

    [Fact]
    public async Task SampleOnce_CountsPendingApprovalsAndOpenIncidents_WithTheAgeOfTheOldest()
    {
        await using var store = new InMemoryWatchdogStore();
        var first = await OpenIncidentAsync(store, "checkout", _time.GetUtcNow());
        await RequestApprovalAsync(store, first, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(10));
        var second = await OpenIncidentAsync(store, "payments", _time.GetUtcNow());
        await RequestApprovalAsync(store, second, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(6));

        await Sampler(store).SampleOnceAsync(CancellationToken.None);

        (_gauges.PendingApprovals, _gauges.OpenIncidents).ShouldBe((2, 2));
        _gauges.OldestPendingApprovalAge.ShouldBe(16 * 60);
        _gauges.OldestOpenIncidentAge.ShouldBe(16 * 60);
    }

    [Fact]
    public async Task SampleOnce_StoreDown_KeepsTheLastSample_AndSaysSoOncePerOutage()
    {
        await using var store = new InMemoryWatchdogStore();
        await OpenIncidentAsync(store, "checkout", _time.GetUtcNow());
        var outage = new UnreachableStore(store);
        var sampler = Sampler(outage);
        await sampler.SampleOnceAsync(CancellationToken.None);

        outage.Down = true;
        await sampler.SampleOnceAsync(CancellationToken.None);
        await sampler.SampleOnceAsync(CancellationToken.None);

        _gauges.OpenIncidents.ShouldBe(1);
        _log.Entries.Count(e => e.Level == LogLevel.Warning).ShouldBe(1);
        outage.Down = false;
        await sampler.SampleOnceAsync(CancellationToken.None);
        _log.Entries.Count(e => e.Level == LogLevel.Information).ShouldBe(1);
    }

    private StoreGaugeSampler Sampler(IWatchdogStore store) => new(store, _gauges, _time, _log);

    private static async Task<Incident> OpenIncidentAsync(InMemoryWatchdogStore store, string target, DateTimeOffset at)
    {
        await using var tx = await store.BeginAsync(CancellationToken.None);
        var incident = await tx.InsertIncidentAsync(new Incident
        {
            Target = target,
            Policy = "errors",
            DetectedAt = at,
            TriggerRule = "errors-high",
            TriggerAction = DecisionAction.Rollback,
            TriggerAuthority = Authority.TeamLead,
            TriggerSummary = "error_rate > 0.1",
        }, CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return incident;
    }

    private static async Task RequestApprovalAsync(InMemoryWatchdogStore store, Incident incident, DateTimeOffset at)
    {
        await using var tx = await store.BeginAsync(CancellationToken.None);
        await tx.InsertApprovalAsync(new Approval
        {
            RunId = incident.Id,
            IncidentId = incident.Id,
            Target = incident.Target,
            Action = DecisionAction.Rollback,
            Required = Authority.TeamLead,
            Status = ApprovalStatus.Pending,
            RequestedAt = at,
        }, CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
    }

    private sealed class UnreachableStore(IWatchdogStore inner) : DelegatingStore(inner)
    {
        public bool Down { get; set; }

        public override Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalStatus? status, CancellationToken cancellationToken) =>
            Down ? throw new TimeoutException("the store did not answer") : base.ListApprovalsAsync(status, cancellationToken);
    }
}
