using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Watchdog.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells which timers were created. A test that moves the clock for a wait
/// (a retry's backoff) must first see that wait's timer: moved before it exists, the clock leaves the wait due a
/// full delay later, and the test waits for nothing.
/// </summary>
internal sealed class TimerWatchingClock : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public TimerWatchingClock()
    {
        SetUtcNow(TestClock.Start);
    }

    /// <summary>How many timers were created with this due time.</summary>
    public int TimersDueAfter(TimeSpan dueTime) => _dueTimes.Count(d => d == dueTime);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
