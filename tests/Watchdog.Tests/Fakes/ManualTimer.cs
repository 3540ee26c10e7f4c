namespace Watchdog.Tests.Fakes;

/// <summary>A timer of <see cref="ManualTimeProvider"/>; fires only from <see cref="ManualTimeProvider.Advance"/>.</summary>
internal sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
{
    private TimeSpan _period = Timeout.InfiniteTimeSpan;

    /// <summary>When the timer next fires; null when stopped. Read and written under the clock's lock.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (clock.Gate)
        {
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.Now + dueTime;
            _period = period;
        }

        return true;
    }

    public void Rearm(DateTimeOffset now) =>
        DueAt = _period > TimeSpan.Zero ? now + _period : null;

    public void Fire() => callback(state);

    public void Dispose() => clock.Remove(this);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
