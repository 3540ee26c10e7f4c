using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Fencing;
using Watchdog.Leadership;
using Watchdog.Records;

namespace Watchdog.Tests.Leadership;

/// <summary>The elector's rules (spec §7) on a scripted lock and a fake clock: when a term begins, is renewed, and ends.</summary>
public sealed class LeaderElectorTests : IDisposable
{
    private const string Me = "watchdog-0_aa";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedLock _lock = new();
    private readonly ScriptedEpochs _epochs = new();
    private readonly LeaderState _state = new(Me, enabled: true);
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _meters.Dispose();

    private LeaderElector Elector(LeaderLockKind kind = LeaderLockKind.Kubernetes) => new(
        _state,
        _lock,
        _epochs,
        new HaOptions { Lock = kind, LeaseDuration = TimeSpan.FromSeconds(15), RenewDeadline = TimeSpan.FromSeconds(10), RetryPeriod = TimeSpan.FromSeconds(2) },
        new LeaderElectionMetrics(_meters.GetRequiredService<IMeterFactory>(), _state),
        _time,
        NullLogger<LeaderElector>.Instance);

    [Fact]
    public async Task Held_BeginsATermAtTheLocksEpoch_AfterTheStoreRecordsIt()
    {
        _lock.Next = new LeaderLockAttempt(true, 3, Me, _time.GetUtcNow());

        await Elector().TickAsync(CancellationToken.None);

        _state.IsLeader.ShouldBeTrue();
        _state.Term!.Epoch.ShouldBe(3);
        _state.Term.Fence!.Epoch.ShouldBe(3);
        _epochs.Row.ShouldBe(new LeaderEpoch("watchdog", 3, Me, _time.GetUtcNow()));
    }

    [Fact]
    public async Task Held_ButTheStoreIsAtALaterEpoch_DoesNotLead()
    {
        _epochs.Row = new LeaderEpoch("watchdog", 4, "watchdog-1_bb", _time.GetUtcNow());
        _lock.Next = new LeaderLockAttempt(true, 3, Me, _time.GetUtcNow());

        await Elector().TickAsync(CancellationToken.None);

        _state.IsLeader.ShouldBeFalse();
        _epochs.Row!.Epoch.ShouldBe(4);
    }

    [Fact]
    public async Task FailedRenewals_EndTheTerm_OnlyOnceTheRenewDeadlineHasPassed()
    {
        var elector = Elector();
        _lock.Next = new LeaderLockAttempt(true, 1, Me, _time.GetUtcNow());
        await elector.TickAsync(CancellationToken.None);
        var term = _state.Term!;
        _lock.Next = LeaderLockAttempt.Failed("the API server did not answer");

        _time.Advance(TimeSpan.FromSeconds(9));
        await elector.TickAsync(CancellationToken.None);
        _state.IsLeader.ShouldBeTrue("9 s without renewal is within the 10 s deadline");
        term.Fence!.IsCurrent.ShouldBeTrue();

        _time.Advance(TimeSpan.FromSeconds(1));
        term.Fence.IsCurrent.ShouldBeFalse("the fence judges the deadline by the clock, before the elector ticks again");
        await elector.TickAsync(CancellationToken.None);

        _state.IsLeader.ShouldBeFalse();
        term.Ended.IsCancellationRequested.ShouldBeTrue();
    }

    [Fact]
    public async Task AnotherHolder_EndsTheTermAtOnce_AndIsShownAsTheLeader()
    {
        var elector = Elector();
        _lock.Next = new LeaderLockAttempt(true, 1, Me, _time.GetUtcNow());
        await elector.TickAsync(CancellationToken.None);
        var since = _time.GetUtcNow();
        _lock.Next = new LeaderLockAttempt(false, 2, "watchdog-1_bb", since);

        await elector.TickAsync(CancellationToken.None);

        _state.IsLeader.ShouldBeFalse();
        _state.Leader.ShouldBe(("watchdog-1_bb", 2L, (DateTimeOffset?)since));
    }

    [Fact]
    public async Task Renewals_KeepTheTermCurrent_PastTheDeadlineCountedFromItsStart()
    {
        var elector = Elector();
        _lock.Next = new LeaderLockAttempt(true, 1, Me, _time.GetUtcNow());
        await elector.TickAsync(CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            await elector.TickAsync(CancellationToken.None);
        }

        _state.IsLeader.ShouldBeTrue();
        _state.Term!.Epoch.ShouldBe(1);
        _state.Transitions.ShouldBe(1);
    }

    [Fact]
    public async Task Postgres_TakesTheEpochTheLockWrote_WithoutAdvancingIt()
    {
        _epochs.Row = new LeaderEpoch("watchdog", 7, Me, _time.GetUtcNow());
        _lock.Next = new LeaderLockAttempt(true, 7, Me, _time.GetUtcNow());

        await Elector(LeaderLockKind.Postgres).TickAsync(CancellationToken.None);

        _state.Term!.Epoch.ShouldBe(7);
    }

    [Fact]
    public async Task Shutdown_ReleasesTheLock_OnlyWhenLeading()
    {
        var follower = Elector();
        await follower.StartAsync(CancellationToken.None);
        await follower.StopAsync(CancellationToken.None);
        _lock.Releases.ShouldBe(0);

        var leader = Elector();
        _lock.Next = new LeaderLockAttempt(true, 1, Me, _time.GetUtcNow());
        await leader.TickAsync(CancellationToken.None);
        var term = _state.Term!;
        await leader.StopAsync(CancellationToken.None);

        _lock.Releases.ShouldBe(1);
        term.Ended.IsCancellationRequested.ShouldBeTrue();
        _state.IsLeader.ShouldBeFalse();
    }
}
