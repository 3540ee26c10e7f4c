using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals.Alerts;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>Two replicas on one store: the leader's book hears of the alerts the follower's intake stored.</summary>
public sealed class AlertBookCatchUpTests
{
    private const string Signal = "alert:HighErrorRatio";

    [Fact]
    public async Task Leader_FollowingOtherReplicas_SeesAFollowersFiringThenResolvedAlertAtItsNextRead()
    {
        await using var replicas = await Replicas.StartAsync();
        replicas.Leader.Service<AlertBook>().FollowOtherReplicas();
        var before = await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);

        await replicas.Follower.PostOkAsync(AlertFixtures.Firing);
        var firing = await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);
        replicas.Advance(TimeSpan.FromSeconds(30));
        await replicas.Follower.PostOkAsync(AlertFixtures.Resolved);
        var resolved = await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);

        before.ShouldBe(SignalValue.NoData);
        firing.ShouldBe(SignalValue.Of(1));
        resolved.ShouldBe(SignalValue.Of(0));
    }

    [Fact]
    public async Task Leader_FollowingOtherReplicas_SeesAnAlertStampedByALaggingClockBeforeItsLastLook()
    {
        await using var replicas = await Replicas.StartAsync(followerLag: TimeSpan.FromSeconds(3));
        replicas.Leader.Service<AlertBook>().FollowOtherReplicas();
        await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);
        replicas.Advance(TimeSpan.FromSeconds(5));
        await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);

        await replicas.Follower.PostOkAsync(AlertFixtures.Firing);

        (await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal)).ShouldBe(SignalValue.Of(1));
    }

    [Fact]
    public async Task Leader_FollowingOtherReplicas_ReadsPastAFullPageAtTheNextLooks()
    {
        await using var replicas = await Replicas.StartAsync(new AlertmanagerIntakeOptions { MaxAlerts = 2 });
        replicas.Leader.Service<AlertBook>().FollowOtherReplicas();
        await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);
        foreach (var service in new[] { "a", "b", "c", "d" })
        {
            replicas.Advance(TimeSpan.FromSeconds(1));
            await replicas.Follower.PostOkAsync(AlertFixtures.FiringFor(service, $"{service}{service}{service}0000000000000"));
        }

        replicas.Advance(TimeSpan.FromSeconds(1));
        await replicas.Follower.PostOkAsync(AlertFixtures.Firing);
        var looks = new List<SignalValue>();
        for (var look = 0; look < 4; look++)
        {
            looks.Add(await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal));
        }

        // Two rows a look, the last of each read again at the next: the fifth row comes at the fourth look.
        looks.ShouldBe([SignalValue.NoData, SignalValue.NoData, SignalValue.NoData, SignalValue.Of(1)]);
    }

    [Fact]
    public async Task Leader_NotFollowing_NeverLooksAgainUntilItsTermBeginsAnew()
    {
        await using var replicas = await Replicas.StartAsync();
        await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);

        await replicas.Follower.PostOkAsync(AlertFixtures.Firing);
        var unheard = await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);
        replicas.Leader.Service<AlertBook>().Reload();
        var reloaded = await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);

        unheard.ShouldBe(SignalValue.NoData);
        reloaded.ShouldBe(SignalValue.Of(1));
        replicas.Store.SeenSinceReads.ShouldBe(0);
    }

    [Fact]
    public async Task Leader_ReloadedAtANewTerm_KeepsAResolutionItHeardOfOverAnOlderStoredFiring()
    {
        await using var replicas = await Replicas.StartAsync();
        await replicas.Follower.PostOkAsync(AlertFixtures.Firing);
        await replicas.Leader.PostOkAsync(AlertFixtures.Resolved);
        await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal);

        replicas.Leader.Service<AlertBook>().Reload();

        (await replicas.Leader.SignalAsync(AlertIntakeServer.Checkout, Signal)).ShouldBe(SignalValue.Of(0));
    }

    private sealed class Replicas(UnreadableStore store, AlertIntakeServer leader, AlertIntakeServer follower) : IAsyncDisposable
    {
        public UnreadableStore Store { get; } = store;

        public AlertIntakeServer Leader { get; } = leader;

        public AlertIntakeServer Follower { get; } = follower;

        public static async Task<Replicas> StartAsync(AlertmanagerIntakeOptions? intake = null, TimeSpan followerLag = default)
        {
            var store = new UnreadableStore(new InMemoryWatchdogStore());
            var now = new DateTimeOffset(2026, 11, 22, 5, 25, 22, TimeSpan.Zero);
            var leader = await AlertIntakeServer.StartAsync(store, intake, TestClock.At(now));
            var follower = await AlertIntakeServer.StartAsync(store, intake, TestClock.At(now - followerLag));
            return new Replicas(store, leader, follower);
        }

        public void Advance(TimeSpan by)
        {
            Leader.Time.Advance(by);
            Follower.Time.Advance(by);
        }

        public async ValueTask DisposeAsync()
        {
            await Leader.DisposeAsync();
            await Follower.DisposeAsync();
        }
    }
}
