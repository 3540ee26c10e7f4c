using Microsoft.Extensions.Time.Testing;
using Watchdog.Kubernetes;
using Watchdog.Leadership;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.IntegrationTests.HighAvailability;

/// <summary>
/// The Lease backend against the simulator's Leases (real resourceVersion semantics), on a fake clock: the first replica
/// creates and renews the Lease, the second waits out its duration by its own clock before taking it (transitions + 1,
/// the next epoch), the deposed one learns it at its next try, and a release hands over at once.
/// </summary>
public sealed class KubernetesLeaseLockTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private KubernetesSimulator _simulator = null!;
    private KubernetesConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(), CancellationToken.None);
        _connection = new KubernetesConnection(new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = _simulator.Url.AbsoluteUri }, TimeProvider.System));
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _connection.Dispose();

    private KubernetesLeaseLock Lock(string identity) => new(_connection, "default", "watchdog", identity, Duration, _time);

    private string? HolderAtTheServer() => _simulator.Get("coordination.k8s.io/v1", "Lease", "default", "watchdog")?["spec"]?["holderIdentity"]?.GetValue<string>();

    [Fact]
    public async Task SecondReplica_TakesTheLeaseOnlyAfterItsDuration_AtTheNextEpoch_AndTheFirstIsToldSo()
    {
        var first = Lock("watchdog-0_aa");
        var second = Lock("watchdog-1_bb");

        var created = await first.TryAcquireOrRenewAsync(CancellationToken.None);
        var waiting = await second.TryAcquireOrRenewAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        (await first.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeTrue("renewed on the fast path");

        created.ShouldBe(created with { Held = true, Epoch = 0, Holder = "watchdog-0_aa" });
        waiting.Held.ShouldBeFalse();
        waiting.Holder.ShouldBe("watchdog-0_aa");

        // The first stops renewing (paused). The second saw the record change at the renewal, 2 s in; 14 s later it
        // is not yet expired by the second's clock, 15 s later it is.
        (await second.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeFalse();
        _time.Advance(TimeSpan.FromSeconds(14));
        (await second.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeFalse("within the lease duration");
        _time.Advance(TimeSpan.FromSeconds(1));
        var taken = await second.TryAcquireOrRenewAsync(CancellationToken.None);

        taken.Held.ShouldBeTrue();
        taken.Epoch.ShouldBe(1);
        HolderAtTheServer().ShouldBe("watchdog-1_bb");
        var deposed = await first.TryAcquireOrRenewAsync(CancellationToken.None);
        deposed.Held.ShouldBeFalse();
        deposed.Holder.ShouldBe("watchdog-1_bb");
    }

    [Fact]
    public async Task Release_LetsTheNextReplicaTakeItAtOnce_WithoutWaitingOutTheLease()
    {
        var first = Lock("watchdog-0_aa");
        var second = Lock("watchdog-1_bb");
        (await first.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeTrue();
        (await second.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeFalse();

        await first.ReleaseAsync(CancellationToken.None);
        HolderAtTheServer().ShouldBe("");
        var taken = await second.TryAcquireOrRenewAsync(CancellationToken.None);

        taken.Held.ShouldBeTrue();
        taken.Epoch.ShouldBe(1);
    }

    [Fact]
    public async Task UnreachableApiServer_IsAFailedAttempt_NotAnException()
    {
        var first = Lock("watchdog-0_aa");
        (await first.TryAcquireOrRenewAsync(CancellationToken.None)).Held.ShouldBeTrue();
        await _simulator.DisposeAsync();

        var attempt = await first.TryAcquireOrRenewAsync(CancellationToken.None);

        attempt.Held.ShouldBeFalse();
        attempt.Error.ShouldStartWith("lease default/watchdog: ");
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(), CancellationToken.None);
    }
}
