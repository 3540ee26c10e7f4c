using Shouldly;

namespace Watchdog.TestSupport;

/// <summary>Waits for something another thread does (a hosted service, a server), failing after a generous timeout.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task HoldsAsync(Func<Task<bool>> condition, string what) => HoldsAsync(condition, what, Timeout);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new ShouldAssertException($"Timed out after {within.TotalSeconds}s waiting until {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what) => HoldsAsync(() => Task.FromResult(condition()), what);
}
