using Microsoft.Extensions.Time.Testing;

namespace Watchdog.Tests.Fakes;

/// <summary>
/// Fake clocks that start at a fixed instant, so a test reads the same dates on every run.
/// Time moves only by <see cref="FakeTimeProvider.Advance(TimeSpan)"/>, which fires due timers in order.
/// </summary>
internal static class TestClock
{
    /// <summary>The instant a clock from <see cref="Create"/> reads before any advance.</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => At(Start);

    // SetUtcNow rather than the epoch constructor: that constructor is marked experimental.
    public static FakeTimeProvider At(DateTimeOffset start)
    {
        var clock = new FakeTimeProvider();
        clock.SetUtcNow(start);
        return clock;
    }
}
