using Microsoft.Extensions.Time.Testing;
using Watchdog.Fencing;
using Watchdog.Leadership;

namespace Watchdog.Tests.Leadership;

/// <summary>A leader-only loop runs in each term under its fence, stops when the term ends, and starts again in the next.</summary>
public sealed class LeaderBackgroundServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RunsOnlyWhileLeading_UnderEachTermsFence()
    {
        var state = new LeaderState("watchdog-0_aa", enabled: true);
        using var loop = new RecordingLoop(state);
        await loop.StartAsync(CancellationToken.None);
        loop.Fences.ShouldBeEmpty("a follower runs none of the leader's work");

        using var first = new LeaderTerm("watchdog", 1, _time.GetUtcNow(), TimeSpan.FromSeconds(10), _time, fenced: true);
        state.Begin(first);
        await Eventually.HoldsAsync(() => loop.Fences.Count == 1, "the loop started in term 1");
        state.End();
        await Eventually.HoldsAsync(() => loop.Stopped == 1, "the loop stopped when term 1 ended");

        using var second = new LeaderTerm("watchdog", 2, _time.GetUtcNow(), TimeSpan.FromSeconds(10), _time, fenced: true);
        state.Begin(second);
        await Eventually.HoldsAsync(() => loop.Fences.Count == 2, "the loop started again in term 2");
        await loop.StopAsync(CancellationToken.None);

        loop.Fences.ShouldBe([1L, 2L]);
    }

    [Fact]
    public async Task Solo_RunsAtOnce_Unfenced()
    {
        using var loop = new RecordingLoop(LeaderState.Solo(_time));
        await loop.StartAsync(CancellationToken.None);

        await Eventually.HoldsAsync(() => loop.Fences.Count == 1, "the loop started");
        await loop.StopAsync(CancellationToken.None);

        loop.Fences.ShouldBe([-1L]);
    }

    private sealed class RecordingLoop(LeaderState state) : LeaderBackgroundService(state)
    {
        private readonly LockedCollection<long> _fences = [];
        private int _stopped;

        public IReadOnlyList<long> Fences => [.. _fences];

        public int Stopped => Volatile.Read(ref _stopped);

        protected override async Task ExecuteTermAsync(CancellationToken stoppingToken)
        {
            _fences.Add(WriteFence.Current?.Epoch ?? -1);
            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            finally
            {
                Interlocked.Increment(ref _stopped);
            }
        }
    }
}
