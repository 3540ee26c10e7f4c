namespace Watchdog.Tests.Fakes;

/// <summary>A clock that moves only when a test says so; its timers fire, in order, as time passes their due time.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    internal Lock Gate { get; } = new();

    internal DateTimeOffset Now => _now;

    public override DateTimeOffset GetUtcNow()
    {
        lock (Gate)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (Gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        DateTimeOffset end;
        lock (Gate)
        {
            end = _now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (Gate)
            {
                next = _timers.Where(t => t.DueAt <= end).MinBy(t => t.DueAt);
                _now = next?.DueAt ?? end;
                next?.Rearm(_now);
            }

            if (next is null)
            {
                return;
            }

            next.Fire();   // outside the lock: the callback may read the clock or change timers
        }
    }

    internal void Remove(ManualTimer timer)
    {
        lock (Gate)
        {
            _timers.Remove(timer);
        }
    }
}
